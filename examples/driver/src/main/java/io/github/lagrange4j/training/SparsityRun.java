package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.Checkpoint;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import io.github.lagrange4j.training.output.Progress;
import io.github.lagrange4j.training.output.RunLock;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run directory and the training that fills it: {@code config.json}, {@code metrics.csv},
 * {@code metrics.jsonl}, {@code dynamics.png}, {@code model.params} and {@code gated-model-0000.params} (the final
 * gated model, the second one for DJL's {@code Model.load}; see {@link FinalModel}) and
 * {@code checkpoints/checkpoint-NNNNNN.ckpt}. Every file is written atomically.
 *
 * <p>Every run holds the directory's {@link RunLock} while it works: a second writer, or a resume of a run
 * that is still training, is refused naming the owning process. A fresh run refuses a directory that already
 * holds a run or holds other files, and reads its data before it writes anything (a data error leaves no
 * run directory behind). A failed write names the file and what the directory keeps; an interrupted run
 * prints the epoch and step it reached and the {@code --resume} command ({@link RunStop}). {@link #resume} continues from the newest
 * valid checkpoint: it restores the model, the primal Adam state, the multipliers and dual state and the
 * step counters, truncates the metrics to the checkpoint's epoch and trains the remaining epochs. Since
 * shuffling and gate noise derive from (seed, epoch, step), the resumed run repeats exactly what an
 * uninterrupted run computes.
 *
 * <p>Phases: epochs {@code 1..epochs} train the gates and weights ({@link SparsityTrainer}); epochs
 * {@code epochs+1..epochs+finetuneEpochs} fine-tune the weights under a fixed mask ({@link FineTuner}), chosen
 * at the boundary from the model of epoch {@code epochs} (whose checkpoint is always written, so a resume
 * from it fixes the same mask); checkpoints inside the phase also carry the fine-tuning optimizer's state.
 *
 * <p>Listeners: the run's files are written by DJL training listeners of the run's {@link
 * ai.djl.training.Trainer}, called at the end of every epoch ({@link RunListener#onEpochEnd}) in this order:
 * {@link MetricsListener} (the metrics files), the caller's listeners (e.g. the command line's plot), then
 * {@link CheckpointListener}; the non-finite guard ({@link FiniteGuard}) and a {@link ProgressListener} come
 * first. A caller's listener may be any DJL {@link TrainingListener}; it then hears DJL's events only.
 */
public final class SparsityRun {

    /** The configuration file of a run directory. */
    public static final String CONFIG = "config.json";
    /** The training-dynamics plot of a run directory (written by the command line's plot {@link RunListener}). */
    public static final String PLOT = "dynamics.png";
    /** The final gated model's parameters ({@code Block.saveParameters}). */
    public static final String MODEL = "model.params";
    /** The name under which the final gated model is saved with {@code Model.save} and opened with {@code Model.load}. */
    public static final String DJL_MODEL_NAME = "gated-model";
    /** The final gated model as DJL's {@code Model.save} writes it ({@code Model.load(runDirectory, DJL_MODEL_NAME)}). */
    public static final String DJL_MODEL = DJL_MODEL_NAME + "-0000.params";
    /** The checkpoint subdirectory. */
    public static final String CHECKPOINTS = "checkpoints";

    /** How far above ε an expected density still counts as meeting its budget in the end-of-training verdict. */
    static final double VERDICT_TOLERANCE = 0.005;

    private SparsityRun() {}

    /**
     * Trains a new run into an empty (or absent) directory.
     *
     * @param settings the settings
     * @param runDirectory the run directory
     * @param engine the engine
     * @param device the device
     * @param files the data set's files
     * @param progress the progress reporter
     * @param log where to print one line per epoch
     * @param listeners DJL training listeners of the run (e.g. a {@link RunListener} that plots each epoch)
     * @return the result
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the directory holds a run or other files ({@link RunDirectoryException}),
     *     or {@code files} are another data set than {@code settings.data().dataset()}
     */
    public static RunResult start(RunSettings settings, Path runDirectory, Engine engine, Device device,
            IdxFileSet files, Progress progress, PrintWriter log, TrainingListener... listeners) throws IOException {
        DatasetCheck.check(settings, files);
        boolean created = !Files.exists(runDirectory);
        Files.createDirectories(runDirectory);
        boolean lockExisted = Files.exists(runDirectory.resolve(RunLock.FILE));
        RunLock lock = RunLock.acquire(runDirectory, w -> log.println("warning: " + w));
        boolean begun = false;
        try {
            if (Files.exists(runDirectory.resolve(CONFIG))) {
                throw new RunDirectoryException(RunDirectoryException.Reason.HOLDS_A_RUN, runDirectory, List.of());
            }
            List<String> foreign = entriesBesides(runDirectory, RunLock.FILE);
            if (!foreign.isEmpty()) {
                throw new RunDirectoryException(RunDirectoryException.Reason.NOT_EMPTY, runDirectory, foreign);
            }
            RunManifest manifest = RunManifest.capture(settings, settings.seed(), engine.getEngineName(),
                    engine.getVersion());
            // the data are read (and checked) before anything is written: a data error leaves no run behind
            CheckpointListener checkpoints = new CheckpointListener(runDirectory, w -> log.println("warning: " + w));
            try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, device, files,
                    listeners(progress, listeners, checkpoints))) {
                manifest.write(runDirectory);
                begun = true;
                return loop(trainer, null, runDirectory, new ArrayList<>(), 1, progress, log, checkpoints);
            }
        } finally {
            lock.close();
            if (!begun) {
                if (!lockExisted) {
                    Files.deleteIfExists(runDirectory.resolve(RunLock.FILE));
                }
                if (created) {
                    Files.deleteIfExists(runDirectory);
                }
            }
        }
    }

    private static List<String> entriesBesides(Path directory, String ignored) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(ignored)).sorted().limit(5)
                    .toList();
        }
    }

    /**
     * Continues a run from its newest valid checkpoint.
     *
     * @param runDirectory the run directory
     * @param requested the settings asked for now, or null to use the stored ones
     * @param allowConfigChange whether differing settings are accepted
     * @param engine the engine
     * @param device the device
     * @param files the data set's files
     * @param progress the progress reporter
     * @param log where to print one line per epoch
     * @param listeners DJL training listeners of the run (e.g. a {@link RunListener} that plots each epoch)
     * @return the result
     * @throws IOException if a file cannot be read or written, or no checkpoint is valid
     * @throws IllegalArgumentException if the directory holds no run or the settings differ
     *     ({@link RunDirectoryException}), or {@code files} are another data set than the run's
     */
    public static RunResult resume(Path runDirectory, RunSettings requested, boolean allowConfigChange,
            Engine engine, Device device, IdxFileSet files, Progress progress, PrintWriter log,
            TrainingListener... listeners) throws IOException {
        if (!Files.exists(runDirectory.resolve(CONFIG))) {
            throw new RunDirectoryException(RunDirectoryException.Reason.NOT_A_RUN, runDirectory, List.of());
        }
        try (RunLock lock = RunLock.acquire(runDirectory, w -> log.println("warning: " + w))) {
            return resumeLocked(runDirectory, requested, allowConfigChange, engine, device, files, progress, log,
                    listeners);
        }
    }

    private static RunResult resumeLocked(Path runDirectory, RunSettings requested, boolean allowConfigChange,
            Engine engine, Device device, IdxFileSet files, Progress progress, PrintWriter log,
            TrainingListener[] listeners) throws IOException {
        RunManifest stored = RunManifest.read(runDirectory);
        RunSettings storedSettings = stored.configurationAs(RunSettings.class);
        RunSettings settings = storedSettings;
        RunManifest changed = null;
        List<String> diff = List.of();
        if (requested != null) {
            RunManifest manifest = RunManifest.capture(requested, requested.seed(), engine.getEngineName(),
                    engine.getVersion());
            // compared as settings, so that a setting added since the run started (absent from its config.json)
            // counts as its default rather than as a change
            diff = SettingDifference.lines(ResumeCheck.differences(stored, storedSettings, requested,
                    engine.getEngineName()));
            if (!diff.isEmpty() && !allowConfigChange) {
                throw new RunDirectoryException(RunDirectoryException.Reason.SETTINGS_DIFFER, runDirectory, diff);
            }
            settings = requested;
            // an accepted change keeps the run's original start time
            changed = diff.isEmpty() ? null : RunManifest.of(requested, requested.seed(), manifest.engineName(),
                    manifest.engineVersion(), manifest.djlVersion(), manifest.javaVersion(), manifest.os(),
                    stored.startTime());
        }
        DatasetCheck.check(settings, files);
        // a process killed while writing metrics or the plot leaves its temporary file behind
        AtomicFiles.deleteStaleTemporaries(runDirectory);
        Optional<Checkpoint> checkpoint = RunCheckpoints.store(runDirectory, w -> log.println("warning: " + w))
                .loadNewestValid();
        CheckpointListener checkpoints = new CheckpointListener(runDirectory, w -> log.println("warning: " + w));
        try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, device, files,
                listeners(progress, listeners, checkpoints))) {
            int done = 0;
            FineTuner fineTuner = null;
            if (checkpoint.isPresent()) {
                TrainingState.Restored restored = TrainingState.restore(trainer, checkpoint.get());
                done = restored.epoch();
                fineTuner = restored.fineTuner();
                log.printf("resuming %s from epoch %d (%s)%n", runDirectory, done, checkpoint.get().file().getFileName());
            } else {
                log.printf("resuming %s: no checkpoint yet, starting from epoch 1%n", runDirectory);
            }
            if (changed != null) {
                // the directory must describe what it continues with, or a later plain --resume would
                // go back to the old settings (e.g. the learning rates that diverged)
                changed.write(runDirectory);
                log.printf("configuration changed (allowConfigChange), %s rewritten:%n  %s%n", CONFIG,
                        String.join("\n  ", diff));
            }
            log.flush();
            List<EpochMetrics> history = new ArrayList<>(MetricsLog.resume(runDirectory, done).epochs());
            return loop(trainer, fineTuner, runDirectory, history, done + 1, progress, log, checkpoints);
        }
    }

    private static TrainingListener[] listeners(Progress progress, TrainingListener[] callers,
            CheckpointListener checkpoints) {
        List<TrainingListener> all = new ArrayList<>();
        all.add(new ProgressListener(progress));
        all.add(new MetricsListener());
        all.addAll(List.of(callers));
        all.add(checkpoints);
        return all.toArray(TrainingListener[]::new);
    }

    private static RunResult loop(SparsityTrainer trainer, FineTuner restoredFineTuner, Path runDirectory,
            List<EpochMetrics> history, int firstEpoch, Progress progress, PrintWriter log,
            CheckpointListener checkpoints) throws IOException {
        FineTuner fineTuner = restoredFineTuner;
        RunSettings settings = trainer.settings();
        Trainer djl = trainer.djlTrainer();
        if (!NativeAllocator.isJemalloc()) {
            log.println("warning: native allocator " + NativeAllocator.describe() + ": the resident size of a long"
                    + " PyTorch run grows every epoch; install libjemalloc2 (the lagrange4j launcher preloads it)");
        }
        try (RunStop stop = RunStop.register(runDirectory, progress, log, firstEpoch - 1)) {
            try {
                for (int epoch = firstEpoch; epoch <= settings.schedule().totalEpochs(); epoch++) {
                    EpochMetrics m;
                    if (epoch <= settings.schedule().epochs()) {
                        m = trainer.trainEpoch(epoch);
                    } else {
                        if (fineTuner == null) {
                            // the phase boundary: the checkpoint of epoch `epochs` holds the unmasked model, so a
                            // resumed run fixes the same mask from the same log alpha
                            fineTuner = new FineTuner(trainer);
                            FineTuner.fixMask(settings, trainer.network());
                            log.println("fine-tuning " + settings.schedule().finetuneEpochs() + " epochs with a fixed mask: "
                                    + ConsoleText.mask(NetworkAccount.of(trainer.network()),
                                            settings.objective().scope()));
                        }
                        m = fineTuner.trainEpoch(epoch);
                    }
                    history.add(m);
                    // metrics files, the callers' listeners, the checkpoint
                    EpochEnd end = new EpochEnd(settings, runDirectory, List.copyOf(history), trainer, fineTuner);
                    djl.notifyListeners(l -> RunListener.endEpoch(l, djl, end));
                    if (checkpoints.lastSaved() == epoch) {
                        stop.checkpointed(epoch);
                    }
                    log.println(ConsoleText.epochLine(m, settings.schedule().totalEpochs(), trainer.network().totalParameters()));
                    if (epoch == settings.schedule().epochs() && settings.objective().approach() == Approach.CONSTRAINED) {
                        // the constraints as trained (expected density of the stochastic gates against ε);
                        // the deployed model's certificate follows the fine-tuning phase
                        log.println("constraints at the end of epoch " + epoch + " (g = "
                                + (settings.objective().scope() == ConstraintScope.MACS ? "expected MACs / dense MACs"
                                        : "expected density") + " - eps): "
                                + trainer.feasibility(VERDICT_TOLERANCE).format(20));
                    }
                    log.flush();
                }
                FinalModel.save(trainer.model(), runDirectory);
            } catch (UncheckedIOException e) {
                throw stop.writeFailure(e.getCause());
            } catch (IOException e) {
                throw stop.writeFailure(e);
            }
        }
        return new RunResult(settings, runDirectory, List.copyOf(history), firstEpoch,
                trainer.network().totalParameters());
    }
}
