package io.github.lagrange4j.tests.resume;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training process killed with SIGKILL, first in the middle of an epoch and then in the middle of
 * writing a checkpoint, resumes with {@code lagrange4j train --resume DIR} and ends with the metrics.jsonl
 * of an uninterrupted run with the same seed.
 */
class ProcessKillResumeTest {

    private static final int SIGKILL_EXIT = 128 + 9;

    @TempDir
    Path dir;

    @Test
    void killedMidEpochAndMidCheckpointThenResumedEqualsTheUninterruptedRun() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Path run = dir.resolve("run");
        Path checkpoints = run.resolve("checkpoints");
        Path first = checkpoints.resolve(CheckpointStore.fileName(1));

        // 1. kill the first process as soon as checkpoint 1 is on disk (polled every 20 ms): in epoch 2. No
        //    wait derived from epoch 1's time: epoch 1 includes the warm-up, and a later epoch of this small
        //    fixture took less than a fifth of it (0.16 s after 0.89 s), so such a wait outlived epoch 2.
        List<String> startArgs = new ArrayList<>(List.of("train", "--out", run.toString()));
        startArgs.addAll(ResumeFixture.options(ResumeFixture.EPOCHS));
        TrainingProcess a = TrainingProcess.start(dir.resolve("a.log"), startArgs);
        a.awaitWhileRunning(() -> Files.exists(first), "checkpoint 1", 600);
        int exitA = a.kill();

        assertThat(exitA).as(a.log()).isEqualTo(SIGKILL_EXIT);
        assertThat(checkpointFiles(checkpoints)).as("killed during epoch 2").containsExactly(CheckpointStore.fileName(1));
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).hasSize(1);

        // 2. resume in a second process and kill it the moment a checkpoint temporary file appears
        boolean midWrite;
        int exitB;
        TrainingProcess b;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            checkpoints.register(watch, ENTRY_CREATE);
            b = TrainingProcess.start(dir.resolve("b.log"), List.of("train", "--resume", run.toString()));
            awaitTemporary(watch, b);
            exitB = b.kill();
        }
        List<String> temporaries = temporaryFiles(checkpoints);
        midWrite = !temporaries.isEmpty();
        System.out.printf("process kill: first process killed once checkpoint 1 was on disk; second process killed %s"
                + " (checkpoints left: %s, temporaries: %s)%n",
                midWrite ? "while writing a checkpoint" : "just after a checkpoint write (missed the window)",
                checkpointFiles(checkpoints), temporaries);
        assertThat(exitB).as(b.log()).isEqualTo(SIGKILL_EXIT);
        assertThat(b.log()).contains("resuming " + run + " from epoch 1 (checkpoint-000001.ckpt)");
        if (midWrite) {
            // epoch 2's metrics were appended before its checkpoint was being written: resume drops them
            assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).hasSize(2);
        }
        List<String> left = checkpointFiles(checkpoints);
        String newest = left.get(left.size() - 1);
        if (!midWrite) {
            // the kill landed after the rename: leave what a kill mid-write plus a torn newest file would
            byte[] bytes = Files.readAllBytes(checkpoints.resolve(newest));
            Files.write(checkpoints.resolve("." + newest + ".0123abcd" + AtomicFiles.TEMP_SUFFIX), Arrays.copyOf(bytes, bytes.length / 2));
            Files.write(checkpoints.resolve(newest), Arrays.copyOf(bytes, bytes.length - 1000),
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        // 3. resume to the end
        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString()));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        if (midWrite) {
            assertThat(resumed.out()).doesNotContain("warning: skipping checkpoint").contains("resuming " + run + " from epoch "
                    + epochOf(newest) + " (" + newest + ")");
        } else {
            assertThat(resumed.out()).contains("warning: skipping checkpoint " + checkpoints.resolve(newest));
        }
        assertThat(ResumeFixture.withoutTime(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))))
                .isEqualTo(ResumeFixture.withoutTime(reference));
        assertThat(ResumeFixture.maxDifference(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE)), reference))
                .isZero();
        try (Stream<Path> files = Files.walk(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(AtomicFiles.TEMP_SUFFIX));
        }
        assertThat(checkpointFiles(checkpoints)).containsExactly(CheckpointStore.fileName(2),
                CheckpointStore.fileName(3), CheckpointStore.fileName(4));
    }

    private static void awaitTemporary(WatchService watch, TrainingProcess process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            WatchKey key = watch.poll(50, TimeUnit.MILLISECONDS);
            if (key != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context().toString().endsWith(AtomicFiles.TEMP_SUFFIX)) {
                        return;
                    }
                }
                key.reset();
            }
            if (!process.isAlive()) {
                throw new AssertionError("the resumed process ended before writing a checkpoint:\n" + process.log());
            }
        }
        throw new AssertionError("no checkpoint was written within 600 s:\n" + process.log());
    }

    private static int epochOf(String checkpointFile) {
        return Integer.parseInt(checkpointFile.replaceAll("\\D", ""));
    }

    private static List<String> checkpointFiles(Path checkpoints) throws Exception {
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).sorted().toList();
        }
    }

    private static List<String> temporaryFiles(Path checkpoints) throws Exception {
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(AtomicFiles.TEMP_SUFFIX)).sorted().toList();
        }
    }
}
