package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.MetricsLog;
import io.github.lagrange4j.training.output.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory belongs to the process that trains in it: with two real processes, a second
 * {@code train --out D} and a {@code train --resume D} of the live run are refused naming the directory and
 * the owner's PID; after the owner is killed its stale lock is taken over; a SIGTERM prints the epoch and
 * step reached and the exact resume command; and a resume cleans only the project's own temporary files.
 */
class RunDirectoryOwnershipTest {

    private static final int SIGTERM_EXIT = 128 + 15;

    @TempDir
    Path dir;

    private static List<String> trainArgs(String... first) {
        List<String> args = new ArrayList<>(List.of(first));
        args.addAll(ResumeFixture.options(1000));
        return args;
    }

    @Test
    void aSecondWriterAndAResumeOfALiveRunAreRefusedAndAKilledOwnersLockIsTakenOver() throws Exception {
        Path run = dir.resolve("run");
        Path lockFile = run.resolve(RunLock.FILE);
        TrainingProcess owner = TrainingProcess.start(dir.resolve("owner.log"), trainArgs("train", "--out", run.toString()));
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        TrainingProcess second = null;
        TrainingProcess resumer = null;
        int secondExit;
        int resumerExit;
        boolean ownerStillRan;
        String record;
        int ownerExit;
        try {
            owner.awaitWhileRunning(() -> Files.exists(run.resolve("config.json")), "the owner's config.json", 900);
            second = TrainingProcess.start(dir.resolve("second.log"), trainArgs("train", "--out", run.toString()));
            secondExit = second.await(900);
            resumer = TrainingProcess.start(dir.resolve("resumer.log"),
                    List.of("train", "--resume", run.toString(), "--no-progress"));
            resumerExit = resumer.await(900);
            ownerStillRan = owner.isAlive();
            record = Files.readString(lockFile);
        } finally {
            // never leave a training process behind, whatever failed above
            ownerExit = owner.kill();
            for (TrainingProcess p : new TrainingProcess[] {second, resumer}) {
                if (p != null && p.isAlive()) {
                    p.kill();
                }
            }
        }

        assertThat(ownerStillRan).as(owner.log()).isTrue();
        assertThat(record).startsWith("pid=" + owner.pid() + "\nstarted=").contains("\nhost=" + host + "\n");
        String refusal = "error: run directory " + run + " is in use by process " + owner.pid() + " on " + host
                + " (started ";
        assertThat(secondExit).as(second.log()).isEqualTo(1);
        assertThat(second.log()).contains(refusal).contains("nothing was changed");
        assertThat(resumerExit).as(resumer.log()).isEqualTo(1);
        assertThat(resumer.log()).contains(refusal);
        assertThat(ownerExit).as("killed while still training").isEqualTo(128 + 9);

        // the owner is dead: its record is stale, and a resume takes the directory over (one more epoch)
        int done = CheckpointStore.builder().setDirectory(run.resolve("checkpoints")).build().epochs().stream()
                .mapToInt(Integer::intValue).max().orElse(0);
        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString(), "--epochs",
                Integer.toString(done + 1), "--allow-config-change"));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("warning: taking over the stale lock of process " + owner.pid() + " on "
                + host + " (started ").contains(", which no longer runs");
        assertThat(Files.readString(lockFile)).as("released after the run").isEmpty();
    }

    @Test
    void sigtermPrintsTheEpochAndStepReachedAndTheExactResumeCommand() throws Exception {
        Path run = dir.resolve("run");
        TrainingProcess training = TrainingProcess.start(dir.resolve("t.log"), trainArgs("train", "--out", run.toString()));
        Path checkpoint1 = run.resolve("checkpoints").resolve(CheckpointStore.fileName(1));
        int exit;
        try {
            training.awaitWhileRunning(() -> Files.exists(checkpoint1), "checkpoint 1", 900);
            Thread.sleep(300);
            exit = training.terminate();
        } finally {
            if (training.isAlive()) {
                training.kill();
            }
        }

        assertThat(exit).as(training.log()).isEqualTo(SIGTERM_EXIT);
        assertThat(training.log()).containsPattern("interrupted during epoch \\d+ at step \\d+ of 20; the newest"
                + " checkpoint holds epoch \\d+ \\(the steps after it are redone exactly\\)")
                .contains("continue with: ./lagrange4j train --resume " + run);
        // the epoch named is the one in progress at the signal: the metrics hold the one before it, or that
        // one too if it was finished while the JVM shut down
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("interrupted during epoch (\\d+)")
                .matcher(training.log());
        assertThat(m.find()).isTrue();
        int interrupted = Integer.parseInt(m.group(1));
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE)).size()).isBetween(interrupted - 1, interrupted);
    }

    @Test
    void aResumeDeletesOnlyTheProjectsOwnTemporaryFiles() throws Exception {
        Path run = dir.resolve("run");
        ResumeFixture.Cli started = ResumeFixture.cli(trainArgsWithEpochs(run, 1));
        assertThat(started.exitCode()).as(started.err()).isZero();
        Path foreign = Files.writeString(run.resolve("notes.tmp"), "a user's file");
        Path foreignInCheckpoints = Files.writeString(run.resolve("checkpoints/upload.tmp"), "another program's file");
        Path own = Files.writeString(run.resolve(".metrics.csv.5eed" + AtomicFiles.TEMP_SUFFIX), "left by a kill");
        Path ownInCheckpoints = Files.writeString(run.resolve("checkpoints/." + CheckpointStore.fileName(2) + ".ab"
                + AtomicFiles.TEMP_SUFFIX), "left by a kill");

        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString(), "--epochs", "2",
                "--allow-config-change"));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(foreign).hasContent("a user's file");
        assertThat(foreignInCheckpoints).hasContent("another program's file");
        assertThat(own).doesNotExist();
        assertThat(ownInCheckpoints).doesNotExist();
    }

    private static List<String> trainArgsWithEpochs(Path run, int epochs) {
        List<String> args = new ArrayList<>(List.of("train", "--out", run.toString()));
        args.addAll(ResumeFixture.options(epochs));
        return args;
    }
}
