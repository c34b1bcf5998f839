package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a finished sparsity run produced.
 *
 * @param settings the settings it ran with
 * @param runDirectory where its metrics, plot, configuration and checkpoints are
 * @param epochs the per-epoch metrics, first epoch first
 * @param startEpoch the first epoch this process trained (1 unless resumed)
 * @param totalParameters the weights and biases of the gated layers (the denominator of the kept fraction)
 */
public record RunResult(RunSettings settings, Path runDirectory, List<EpochMetrics> epochs, int startEpoch,
        long totalParameters) {

    /** Copies the list. */
    public RunResult {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a run result needs at least one epoch");
        }
    }

    /**
     * Returns the fraction of the parameters the final (deployed, compacted) model keeps.
     *
     * @return {@code last().keptParameters() / totalParameters}
     */
    public double keptFraction() {
        return (double) last().keptParameters() / totalParameters;
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
     * Returns the epoch with the lowest validation error (the earliest of equals): the honest "best" epoch.
     *
     * @return the epoch, empty if the run has no validation split
     */
    public Optional<EpochMetrics> bestValidationEpoch() {
        return epochs.stream().filter(EpochMetrics::hasValidation)
                .min(Comparator.comparingDouble(EpochMetrics::validationError));
    }

    /**
     * Returns the "best feasible" epoch: the lowest validation error (the earliest of equals) among the epochs
     * whose deployed model meets the budget. Its test error is the one to report beside it.
     *
     * @return the epoch, empty without a validation split or if no epoch met the budget
     */
    public Optional<EpochMetrics> bestFeasibleEpoch() {
        return epochs.stream().filter(m -> m.hasValidation() && m.budgetMet())
                .min(Comparator.comparingDouble(EpochMetrics::validationError));
    }

    /**
     * Returns the lowest test error over all epochs (a test-set choice: for reference only; select on
     * {@link #bestFeasibleEpoch()}).
     *
     * @return the best test error as a fraction
     */
    public double bestTestError() {
        return epochs.stream().mapToDouble(EpochMetrics::testError).min().orElseThrow();
    }
}
