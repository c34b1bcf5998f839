package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a run directory keeps when its run stops early, and how to continue: the messages of a write
 * failure (disk full, permission denied) and of an interruption (Ctrl-C, SIGTERM).
 *
 * <p>Call order: {@link #register} before the first epoch (installs a JVM shutdown hook that prints where
 * the run was and how to continue ({@link #setResumeAdvice}) when the process is interrupted); {@link #checkpointed}
 * after each checkpoint; {@link #writeFailure} to turn an {@code IOException} of the epoch loop into a
 * message; {@link #close()} when the run ends normally or with an error (removes the hook, so that a
 * finished run prints nothing).
 */
public final class RunStop implements AutoCloseable {

    /** The default advice: the driver's own method. */
    private static final Function<Path, String> DRIVER_ADVICE = dir -> "SparsityRun.resume(" + dir + ", ...)";

    private static volatile Function<Path, String> resumeAdvice = DRIVER_ADVICE;

    private final Path runDirectory;
    private final Progress progress;
    private final PrintWriter log;
    private final Thread hook;
    private volatile int lastCheckpoint;

    private RunStop(Path runDirectory, Progress progress, PrintWriter log, int lastCheckpoint) {
        this.runDirectory = runDirectory;
        this.progress = progress;
        this.log = log;
        this.lastCheckpoint = lastCheckpoint;
        this.hook = new Thread(this::interrupted, "lagrange4j-interrupt-report");
    }

    /**
     * Installs the interruption report of a run.
     *
     * @param runDirectory the run directory
     * @param progress the run's progress reporter (it knows the epoch and step reached)
     * @param log where to print the report
     * @param lastCheckpoint the epoch of the newest checkpoint already on disk (0 if none)
     * @return the registered report; close it when the run ends
     */
    public static RunStop register(Path runDirectory, Progress progress, PrintWriter log, int lastCheckpoint) {
        RunStop stop = new RunStop(Objects.requireNonNull(runDirectory, "runDirectory"),
                Objects.requireNonNull(progress, "progress"), Objects.requireNonNull(log, "log"), lastCheckpoint);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /**
     * Sets how the messages say to continue a run, for every run of this JVM: a command line gives its own
     * command ({@code ./lagrange4j train --resume DIR}); the default names {@link SparsityRun#resume}.
     *
     * @param advice the run directory to the text after "continue with: "
     */
    public static void setResumeAdvice(Function<Path, String> advice) {
        resumeAdvice = Objects.requireNonNull(advice, "advice");
    }

    /**
     * Returns how to continue a run, as the messages say it.
     *
     * @param runDirectory the run directory
     * @return the advice set with {@link #setResumeAdvice}, by default {@code SparsityRun.resume(DIR, ...)}
     */
    public static String resumeAdvice(Path runDirectory) {
        return resumeAdvice.apply(runDirectory);
    }

    /**
     * Records that a checkpoint of an epoch is on disk.
     *
     * @param epoch the epoch it holds
     */
    public void checkpointed(int epoch) {
        lastCheckpoint = epoch;
    }

    /**
     * Turns a failed write of the epoch loop into a message naming the file, the cause and what survives.
     *
     * @param e the failure (a {@link FileSystemException} names its file)
     * @return an exception whose message says it all, with {@code e} as its cause
     */
    public IOException writeFailure(IOException e) {
        String what = e instanceof FileSystemException fs && fs.getFile() != null
                ? fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName())
                : String.valueOf(e.getMessage());
        if (e instanceof java.nio.file.AccessDeniedException) {
            what += " (permission denied)";
        }
        return new IOException("cannot write " + what + ". " + survives() + " Fix the cause (free disk space,"
                + " permissions), then continue with: " + resumeAdvice(runDirectory), e);
    }

    private String survives() {
        int saved = lastCheckpoint;
        return saved > 0
                ? "The run stopped during epoch " + progress.epoch() + "; " + runDirectory + " keeps every file as of"
                        + " the checkpoint of epoch " + saved + " (files are replaced atomically, none is half-written)."
                : "The run stopped during epoch " + progress.epoch() + " before its first checkpoint; " + runDirectory
                        + " keeps its configuration, and resuming starts at epoch 1.";
    }

    private void interrupted() {
        int saved = lastCheckpoint;
        log.printf("%ninterrupted during epoch %d at step %d of %d; %s%s%ncontinue with: %s%n",
                progress.epoch(), progress.stepsDone(), progress.stepsInEpoch(),
                saved > 0 ? "the newest checkpoint holds epoch " + saved : "no checkpoint was written yet",
                saved > 0 ? " (the steps after it are redone exactly)" : " (resuming starts at epoch 1)",
                resumeAdvice(runDirectory));
        log.flush();
    }

    /** Removes the shutdown hook (nothing is printed on a normal exit); a no-op during shutdown. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }
}
