package io.github.lagrange4j.examples;

import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.ResultsTable;
import java.util.List;
import java.util.Map;

/**
 * What one training run of an example produced: the engine that held its arrays, the expected density
 * before the first step, and the metrics of every epoch (test set evaluated with deterministic gates).
 *
 * @param label a short name of the run, e.g. "constrained eps=0.33"
 * @param engine the name of the engine of the model's parameter arrays ({@code Engine.getEngineName()})
 * @param initialDensity the expected density of the freshly initialised gates, in [0, 1]
 * @param epochs the per-epoch metrics, first epoch first (at least one)
 */
public record RunSummary(String label, String engine, double initialDensity, List<EpochMetrics> epochs) {

    /** Validates and copies the epochs. */
    public RunSummary {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        if (engine == null || engine.isBlank()) {
            throw new IllegalArgumentException("engine must not be blank");
        }
        if (!(initialDensity >= 0 && initialDensity <= 1)) {
            throw new IllegalArgumentException("initialDensity must be in [0, 1], got " + initialDensity);
        }
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("epochs must hold at least one epoch");
        }
    }

    /**
     * Returns the last epoch's metrics.
     *
     * @return the final metrics
     */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Returns the final expected (parameter-weighted) density.
     *
     * @return a fraction in [0, 1]
     */
    public double finalDensity() {
        return last().expectedDensity();
    }

    /**
     * Returns the final test error (deterministic gates).
     *
     * @return a fraction in [0, 1]
     */
    public double finalError() {
        return last().testError();
    }

    /**
     * Returns the final test accuracy, {@code 1 − finalError()}.
     *
     * @return a fraction in [0, 1]
     */
    public double accuracy() {
        return 1 - finalError();
    }

    /**
     * Returns the lowest test error over the epochs.
     *
     * @return a fraction in [0, 1]
     */
    public double bestError() {
        return epochs.stream().mapToDouble(EpochMetrics::testError).min().orElseThrow();
    }

    /**
     * Returns the final pruned architecture, the kept gates of each layer joined by {@code -}.
     *
     * @return e.g. {@code 310-120-45}
     */
    public String prunedArchitecture() {
        return last().prunedArchitecture();
    }

    /**
     * Returns the final multipliers (empty for a penalized run).
     *
     * @return constraint name to λ
     */
    public Map<String, Double> multipliers() {
        return last().multipliers();
    }

    /**
     * Returns the run as a row of the paper-style table.
     *
     * @param model the model column, e.g. "MLP"
     * @param approach the approach column, e.g. "constrained eps=0.33"
     * @return the row
     */
    public ResultsTable.Row row(String model, String approach) {
        return ResultsTable.Row.fromEpochs(model, approach, epochs);
    }
}
