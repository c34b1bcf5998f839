package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What a finished sparsity run produced.
 *
 * @param settings the settings it ran with
 * @param runDirectory where its metrics, plot, configuration and checkpoints are
 * @param epochs the per-epoch metrics, first epoch first
 * @param startEpoch the first epoch this process trained (1 unless resumed)
 */
public record RunResult(RunSettings settings, Path runDirectory, List<EpochMetrics> epochs, int startEpoch) {

    /** Copies the list. */
    public RunResult {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a run result needs at least one epoch");
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
     * Returns the lowest test error over all epochs.
     *
     * @return the best test error as a fraction
     */
    public double bestTestError() {
        return epochs.stream().mapToDouble(EpochMetrics::testError).min().orElseThrow();
    }
}
