package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.Checkpoint;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checkpoints of a run directory as the driver uses them: {@link #store} opens its checkpoint store,
 * {@link #save} writes the training state after an epoch ({@link CheckpointListener}), and {@link #settings} /
 * {@link #restoreNewest} read a run's settings and newest valid checkpoint into a fresh {@link SparsityTrainer}
 * without writing anything to the directory: for timing or inspecting a run from where it stands (e.g. {@code
 * lagrange4j bench --from-run DIR}, the late phase of training with the network at its budget).
 */
public final class RunCheckpoints {

    private RunCheckpoints() {}

    /**
     * Opens (creating its directory if needed) the checkpoint store of a run directory.
     *
     * @param runDirectory the run directory
     * @param warnings where skipped (corrupt) checkpoints are reported
     * @return the store of {@code runDirectory/checkpoints}
     * @throws IOException if the directory cannot be created
     */
    public static CheckpointStore store(Path runDirectory, Consumer<String> warnings) throws IOException {
        return CheckpointStore.builder().setDirectory(runDirectory.resolve(SparsityRun.CHECKPOINTS))
                .optWarnings(warnings).build();
    }

    /**
     * Writes the whole training state after an epoch as that epoch's checkpoint.
     *
     * @param store the run's checkpoint store
     * @param trainer the run's trainer
     * @param fineTuner the fine-tuning phase, or null during the main phase
     * @param epoch the completed epoch
     * @throws IOException if the checkpoint cannot be written
     */
    public static void save(CheckpointStore store, SparsityTrainer trainer, FineTuner fineTuner, int epoch)
            throws IOException {
        store.save(epoch, TrainingState.snapshot(trainer, fineTuner, epoch));
    }

    /**
     * Returns the settings a run was started with.
     *
     * @param runDirectory the run directory
     * @return the settings of its {@code config.json}
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if the directory holds no run
     */
    public static RunSettings settings(Path runDirectory) throws IOException {
        if (!Files.exists(runDirectory.resolve(SparsityRun.CONFIG))) {
            throw new IllegalArgumentException(runDirectory + " is not a run directory (no " + SparsityRun.CONFIG
                    + ")");
        }
        return RunManifest.read(runDirectory).configurationAs(RunSettings.class);
    }

    /**
     * Restores the newest checkpoint that verifies into a trainer built with the run's settings.
     *
     * @param trainer a freshly built trainer
     * @param runDirectory the run directory
     * @param warnings where skipped (corrupt) checkpoints are reported
     * @return the completed epoch the checkpoint holds
     * @throws IOException if no checkpoint verifies or it does not fit the trainer
     */
    public static int restoreNewest(SparsityTrainer trainer, Path runDirectory, Consumer<String> warnings)
            throws IOException {
        CheckpointStore store = store(runDirectory, warnings);
        Optional<Checkpoint> checkpoint = store.loadNewestValid();
        if (checkpoint.isEmpty()) {
            throw new IOException("no valid checkpoint in " + runDirectory.resolve(SparsityRun.CHECKPOINTS));
        }
        return TrainingState.restore(trainer, checkpoint.get()).epoch();
    }
}
