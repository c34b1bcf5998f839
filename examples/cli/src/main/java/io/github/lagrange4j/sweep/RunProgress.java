package io.github.lagrange4j.sweep;

import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.MetricsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far a run of a sweep has come, read from its directory alone: complete (every epoch's metrics and the
 * final model written; a dense run's {@code dense.json}), partial (a run directory with some epochs; its
 * checkpoints continue it) or not started.
 *
 * @param status the status
 * @param epochsDone the epochs whose metrics are written
 * @param totalEpochs the epochs the run trains in all
 */
public record RunProgress(Status status, int epochsDone, int totalEpochs) {

    /** A run's status. */
    public enum Status {
        /** Every epoch done and the final model written: the sweep skips it. */
        COMPLETE,
        /** Started (a {@code config.json}); the sweep resumes it from its newest checkpoint. */
        PARTIAL,
        /** No run directory yet. */
        PENDING
    }

    /**
     * Reads a run's progress.
     *
     * @param run the planned run
     * @param runDirectory its directory
     * @return the progress
     * @throws IOException if its metrics cannot be read
     */
    public static RunProgress of(PlannedRun run, Path runDirectory) throws IOException {
        int total = run.totalEpochs();
        if (run.kind() == RunKind.DENSE) {
            boolean done = Files.isRegularFile(runDirectory.resolve(PlannedRun.DENSE_RESULT));
            return new RunProgress(done ? Status.COMPLETE : Status.PENDING, done ? total : 0, total);
        }
        if (!Files.isRegularFile(runDirectory.resolve(SparsityRun.CONFIG))) {
            return new RunProgress(Status.PENDING, 0, total);
        }
        Path jsonl = runDirectory.resolve(MetricsLog.JSONL_FILE);
        int done = Files.isRegularFile(jsonl) ? MetricsLog.read(jsonl).size() : 0;
        boolean complete = done >= total && Files.isRegularFile(runDirectory.resolve(SparsityRun.MODEL));
        return new RunProgress(complete ? Status.COMPLETE : Status.PARTIAL, done, total);
    }

    /**
     * Returns whether the run is complete.
     *
     * @return true if complete
     */
    public boolean complete() {
        return status == Status.COMPLETE;
    }
}
