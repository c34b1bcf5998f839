package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.MetricsLog;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Called by {@link SparsityRun} after each epoch, once the epoch's metrics are in the run directory and before
 * its checkpoint: the command line writes the training-dynamics plot ({@link SparsityRun#PLOT}) here, so that the
 * driver needs no plotting library. A failure is reported like any failed write of the run (the file, what the
 * directory keeps, how to continue).
 */
@FunctionalInterface
public interface EpochListener {

    /** A listener that does nothing. */
    EpochListener NONE = (settings, runDirectory, metrics, totalParameters) -> { };

    /**
     * Handles the end of an epoch.
     *
     * @param settings the run's settings
     * @param runDirectory the run directory
     * @param metrics the metrics of every epoch so far
     * @param totalParameters the gated network's parameter count (for kept fractions)
     * @throws IOException if a file cannot be written
     */
    void epochEnded(RunSettings settings, Path runDirectory, MetricsLog metrics, long totalParameters)
            throws IOException;
}
