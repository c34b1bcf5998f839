package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import io.github.lagrange4j.training.output.RunLock;
import io.github.lagrange4j.training.output.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learning rate large enough to diverge stops the run with a message naming the quantity, the epoch and
 * step and the learning rates; the last good checkpoint stays byte for byte, no later one is written, and
 * the run directory resumes from it with sane rates to the uninterrupted run's metrics. Each accepted
 * change of rates is recorded in config.json (keeping the run's start time), so a later plain
 * {@code --resume} continues with the rates last asked for.
 */
class NonFiniteGuardTest {

    @TempDir
    Path dir;

    @Test
    void aPrimalRateOf1e30StopsEpoch3WithNaNLossAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path run = runStoppedAfterEpoch2();
        Path second = run.resolve("checkpoints").resolve(CheckpointStore.fileName(2));
        byte[] good = Files.readAllBytes(second);

        ResumeFixture.Cli diverged = ResumeFixture.cli(resume(run, "--lr", "1e30"));

        System.out.println("non-finite guard: " + diverged.err().strip());
        assertThat(diverged.exitCode()).isEqualTo(1);
        assertThat(diverged.err()).isEqualTo("error: non-finite loss = NaN at epoch 3, step 2: training diverged;"
                + " look at the learning rates (lr=1.0E30, gate-lr=0.05, dual-lr=0.05) and the batch size (100)."
                + " The last good checkpoint is kept; resume with --resume after changing them"
                + " (with --allow-config-change)." + System.lineSeparator());
        assertThat(Files.readAllBytes(second)).isEqualTo(good);
        assertThat(CheckpointStore.builder().setDirectory(run.resolve("checkpoints")).build().epochs())
                .containsExactly(2);
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).hasSize(2);
    }

    @Test
    void aDualRateOf1e300StopsEpoch1WithAnInfiniteLagrangianBeforeAnyCheckpoint() throws Exception {
        Path run = dir.resolve("fresh");
        List<String> args = new ArrayList<>(List.of("train", "--out", run.toString()));
        List<String> options = new ArrayList<>(ResumeFixture.options(ResumeFixture.EPOCHS));
        options.set(options.indexOf("--dual-lr") + 1, "1e300");
        args.addAll(options);

        ResumeFixture.Cli diverged = ResumeFixture.cli(args);

        System.out.println("non-finite guard: " + diverged.err().strip());
        assertThat(diverged.exitCode()).isEqualTo(1);
        assertThat(diverged.err()).isEqualTo("error: non-finite Lagrangian = Infinity at epoch 1, step 2: training"
                + " diverged; look at the learning rates (lr=0.001, gate-lr=0.05, dual-lr=1.0E300) and the batch size"
                + " (100). The last good checkpoint is kept; resume with --resume after changing them"
                + " (with --allow-config-change)." + System.lineSeparator());
        assertThat(CheckpointStore.builder().setDirectory(run.resolve("checkpoints")).build().epochs()).isEmpty();
        try (Stream<Path> files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json",
                    "checkpoints", RunLock.FILE);
        }
        assertThat(run.resolve(RunLock.FILE)).as("the lock is released (its record emptied)").isEmptyFile();
    }

    @Test
    void afterDivergingTheRunResumesFromTheLastGoodEpochWithSaneRates() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Path run = runStoppedAfterEpoch2();
        java.time.Instant started = RunManifest.read(run).startTime();
        ResumeFixture.Cli diverged = ResumeFixture.cli(resume(run, "--lr", "1e30"));
        assertThat(diverged.exitCode()).isEqualTo(1);
        assertThat(RunManifest.read(run).configurationAs(RunSettings.class).optimization().primalLearningRate()).isEqualTo(1e30);

        ResumeFixture.Cli recovered = ResumeFixture.cli(resume(run, "--lr", "0.001"));

        assertThat(recovered.exitCode()).as(recovered.err()).isZero();
        assertThat(recovered.out()).contains("resuming " + run + " from epoch 2 (checkpoint-000002.ckpt)")
                .contains("configuration changed (allowConfigChange), config.json rewritten:\n"
                        + "  optimization.primalLearningRate: 1.0E30 -> 0.001");
        List<EpochMetrics> metrics = MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE));
        assertThat(ResumeFixture.withoutTime(metrics)).isEqualTo(ResumeFixture.withoutTime(reference));
        assertThat(RunManifest.read(run).configurationAs(RunSettings.class))
                .isEqualTo(InProcessResumeTest.settings(ResumeFixture.EPOCHS));
        assertThat(RunManifest.read(run).startTime()).isEqualTo(started);
    }

    /** A copy of the reference run as it was when epoch 2's checkpoint had been written. */
    private Path runStoppedAfterEpoch2() throws Exception {
        Path run = dir.resolve("run");
        ResumeFixture.copy(ResumeFixture.referenceDirectory(), run);
        Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(3)));
        Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(4)));
        return run;
    }

    private static List<String> resume(Path run, String option, String value) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString(), "--allow-config-change"));
        List<String> options = new ArrayList<>(ResumeFixture.options(ResumeFixture.EPOCHS));
        int at = options.indexOf(option);
        options.set(at + 1, value);
        args.addAll(options);
        return args;
    }
}
