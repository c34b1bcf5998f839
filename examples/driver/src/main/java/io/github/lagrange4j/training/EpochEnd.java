package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link RunListener#onEpochEnd} receives: the epoch's metrics with the run it belongs to.
 *
 * @param settings the run's settings
 * @param runDirectory the run directory
 * @param history the metrics of every epoch so far, this one last (unmodifiable)
 * @param trainer the run's trainer (model, optimizers; not to be closed)
 * @param fineTuner the fine-tuning phase, or null during the main phase
 */
public record EpochEnd(RunSettings settings, Path runDirectory, List<EpochMetrics> history, SparsityTrainer trainer,
        FineTuner fineTuner) {

    /**
     * Returns the metrics of the epoch that ended.
     *
     * @return the last entry of the history
     */
    public EpochMetrics metrics() {
        return history.get(history.size() - 1);
    }

    /**
     * Returns the epoch that ended.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return metrics().epoch();
    }

    /**
     * Returns the gated network's parameter count (the denominator of kept fractions).
     *
     * @return the total parameters
     */
    public long totalParameters() {
        return trainer.network().totalParameters();
    }
}
