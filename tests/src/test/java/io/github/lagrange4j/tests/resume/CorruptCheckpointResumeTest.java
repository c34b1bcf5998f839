package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory whose newest checkpoints are damaged resumes from the newest one that verifies, with a
 * warning naming each skipped file and its fault, and still ends with the uninterrupted run's metrics;
 * if no checkpoint verifies, resuming fails with a message listing every file.
 */
class CorruptCheckpointResumeTest {

    /** Length of the checkpoint header (magic, version, epoch, payload length, SHA-256). */
    private static final int HEADER = 56;

    @TempDir
    Path dir;

    @Test
    void aCorruptedNewestAndATruncatedSecondNewestAreSkippedForTheThirdAndTheRunEndsAsUninterrupted()
            throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Path run = dir.resolve("run");
        ResumeFixture.copy(ResumeFixture.referenceDirectory(), run);
        Path checkpoints = run.resolve("checkpoints");
        Path fourth = checkpoints.resolve(CheckpointStore.fileName(4));
        Path third = checkpoints.resolve(CheckpointStore.fileName(3));
        byte[] bytes = Files.readAllBytes(fourth);
        bytes[HEADER + 1000] ^= 0x10;
        Files.write(fourth, bytes);
        byte[] full = Files.readAllBytes(third);
        Files.write(third, Arrays.copyOf(full, full.length / 2));

        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString()));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out())
                .contains("warning: skipping checkpoint " + fourth + ": SHA-256 mismatch")
                .contains("warning: skipping checkpoint " + third + ": truncated: the payload has "
                        + (full.length / 2 - HEADER) + " of " + (full.length - HEADER) + " bytes")
                .contains("resuming " + run + " from epoch 2 (checkpoint-000002.ckpt)");
        List<EpochMetrics> metrics = MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE));
        assertThat(ResumeFixture.withoutTime(metrics)).isEqualTo(ResumeFixture.withoutTime(reference));
        assertThat(ResumeFixture.maxDifference(metrics, reference)).isZero();
        List<String> warnings = new java.util.ArrayList<>();
        CheckpointStore store = CheckpointStore.builder().setDirectory(checkpoints).optWarnings(warnings::add).build();
        assertThat(store.loadNewestValid()).hasValueSatisfying(c -> assertThat(c.epoch()).isEqualTo(4));
        assertThat(warnings).isEmpty();
        assertThat(store.epochs()).containsExactly(2, 3, 4);
        assertThat(Files.size(third)).isEqualTo(full.length);
    }

    @Test
    void whenNoCheckpointVerifiesResumingFailsListingEveryFileAndChangesNothing() throws Exception {
        Path run = dir.resolve("run");
        ResumeFixture.copy(ResumeFixture.referenceDirectory(), run);
        Path checkpoints = run.resolve("checkpoints");
        for (int epoch = 2; epoch <= 4; epoch++) {
            Path file = checkpoints.resolve(CheckpointStore.fileName(epoch));
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, 40));
        }
        byte[] metricsBefore = Files.readAllBytes(run.resolve(MetricsLog.JSONL_FILE));

        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString()));

        assertThat(resumed.exitCode()).isEqualTo(1);
        assertThat(resumed.err()).contains("error: none of the 3 checkpoints in " + checkpoints + " is valid: "
                + "checkpoint-000004.ckpt: truncated header: the file has 40 bytes",
                "checkpoint-000003.ckpt: truncated header", "checkpoint-000002.ckpt: truncated header");
        assertThat(Files.readAllBytes(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(metricsBefore);
    }
}
