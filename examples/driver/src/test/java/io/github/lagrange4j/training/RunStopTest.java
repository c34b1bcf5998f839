package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The messages of a run that stops early name the file, the cause, what survives and the resume command. */
class RunStopTest {

    private final Path run = Path.of("runs", "x");

    @Test
    void aPermissionDeniedWriteNamesTheFileAndTheCheckpointThatSurvives() {
        Progress progress = Progress.silent();
        progress.startEpoch(7, 10, 469);
        try (RunStop stop = RunStop.register(run, progress, new PrintWriter(new StringWriter()), 6)) {
            IOException e = stop.writeFailure(new AccessDeniedException("runs/x/metrics.csv"));

            assertThat(e).hasMessage("cannot write runs/x/metrics.csv: AccessDeniedException (permission denied)."
                    + " The run stopped during epoch 7; runs/x keeps every file as of the checkpoint of epoch 6 (files"
                    + " are replaced atomically, none is half-written). Fix the cause (free disk space, permissions),"
                    + " then continue with: SparsityRun.resume(runs/x, ...)");
        }
    }

    @Test
    void aDiskFullBeforeTheFirstCheckpointSaysResumingStartsAtEpochOne() {
        Progress progress = Progress.silent();
        progress.startEpoch(1, 10, 469);
        try (RunStop stop = RunStop.register(run, progress, new PrintWriter(new StringWriter()), 0)) {
            IOException e = stop.writeFailure(new FileSystemException("runs/x/dynamics.png", null,
                    "No space left on device"));

            assertThat(e.getMessage()).startsWith("cannot write runs/x/dynamics.png: No space left on device. The run"
                    + " stopped during epoch 1 before its first checkpoint; runs/x keeps its configuration, and"
                    + " resuming starts at epoch 1.");
        }
    }

    @Test
    void aCommandLineSetsItsOwnResumeAdvice() {
        try {
            RunStop.setResumeAdvice(dir -> "mytool resume " + dir);
            assertThat(RunStop.resumeAdvice(run)).isEqualTo("mytool resume runs/x");
        } finally {
            RunStop.setResumeAdvice(dir -> "SparsityRun.resume(" + dir + ", ...)");
        }
        assertThat(RunStop.resumeAdvice(run)).isEqualTo("SparsityRun.resume(runs/x, ...)");
    }
}
