package io.github.lagrange4j.training;

import ai.djl.training.Trainer;
import io.github.lagrange4j.training.output.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes a run's checkpoints as a {@link RunListener}: at the end of every {@code checkpointEvery}-th epoch, of
 * the last main-phase epoch (the phase boundary, whose model fixes the fine-tuning mask) and of the last epoch,
 * the whole training state through {@link RunCheckpoints#save}. The store is opened when the first epoch
 * starts (the run directory exists and holds its {@code config.json} by then). A failed write is thrown as
 * {@link UncheckedIOException}; {@link SparsityRun} reports it with what the directory keeps.
 */
final class CheckpointListener implements RunListener {

    private final Path runDirectory;
    private final Consumer<String> warnings;
    private CheckpointStore store;
    private int lastSaved;

    /**
     * Creates the checkpoint writer of a run directory.
     *
     * @param runDirectory the run directory
     * @param warnings where skipped (corrupt) checkpoints are reported
     */
    CheckpointListener(Path runDirectory, Consumer<String> warnings) {
        this.runDirectory = runDirectory;
        this.warnings = warnings;
    }

    @Override
    public void onEpochStart(Trainer trainer, int epoch, int totalEpochs, int steps) {
        if (store == null) {
            try {
                store = RunCheckpoints.store(runDirectory, warnings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEnd end) {
        RunSettings settings = end.settings();
        int epoch = end.epoch();
        if (epoch % settings.schedule().checkpointEvery() == 0 || epoch == settings.schedule().epochs() || epoch == settings.schedule().totalEpochs()) {
            try {
                RunCheckpoints.save(store, end.trainer(), end.fineTuner(), epoch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lastSaved = epoch;
        }
    }

    /**
     * Returns the epoch of the last checkpoint this listener wrote.
     *
     * @return the epoch, 0 before the first
     */
    int lastSaved() {
        return lastSaved;
    }
}
