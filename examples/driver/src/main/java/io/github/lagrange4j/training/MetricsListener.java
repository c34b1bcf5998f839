package io.github.lagrange4j.training;

import ai.djl.training.Trainer;
import io.github.lagrange4j.training.output.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a run's {@code metrics.csv} and {@code metrics.jsonl} as a {@link RunListener}: at the end of every
 * epoch both files are rewritten whole and atomically from the run's history ({@link MetricsLog#write}). A
 * failed write is thrown as {@link UncheckedIOException}; {@link SparsityRun} reports it with what the
 * directory keeps. {@link SparsityRun} adds it before any other run listener, so the files are on disk when
 * those (the plot, the checkpoint) run.
 */
final class MetricsListener implements RunListener {

    @Override
    public void onEpochEnd(Trainer trainer, EpochEnd end) {
        try {
            MetricsLog.write(end.runDirectory(), end.history());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
