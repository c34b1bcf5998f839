package io.github.lagrange4j.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.lagrange4j.cli.BenchCommand;
import io.github.lagrange4j.cli.BenchResult;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.tests.foundation.CliRun;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.NativeAllocator;
import io.github.lagrange4j.training.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} runs in-process on 2,000 genuine MNIST images for three epochs and reports figures that
 * agree with each other (no timing or memory threshold is asserted); bad options exit with code 2 and name
 * the option.
 */
class BenchSmokeTest {

    @Test
    void threeEpochsOn2000ImagesGiveConsistentFigures() {
        CliRun run = CliRun.of("bench", "--epochs", "3", "--train-subset", "2000", "--data-dir",
                GenuineMnist.directory().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        BenchResult result = run.<BenchCommand>command("bench").lastResult();
        System.out.print(run.out());
        assertThat(result.engine()).startsWith("PyTorch ");
        assertThat(result.device()).isEqualTo("cpu()");
        assertThat(result.trainExamples()).isEqualTo(2_000);
        RunSettings paper = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED);
        assertThat(result.settings().schedule().epochs()).isEqualTo(3);
        assertThat(result.settings().data().trainSubset()).isEqualTo(2_000);
        assertThat(result.settings().optimization().batchSize()).isEqualTo(paper.optimization().batchSize());
        assertThat(result.settings().optimization().primalLearningRate()).isEqualTo(paper.optimization().primalLearningRate());
        assertThat(result.settings().objective().epsilons()).containsExactly(paper.objective().epsilons());

        assertThat(result.epochs()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            BenchResult.Epoch epoch = result.epochs().get(i);
            assertThat(epoch.epoch()).isEqualTo(i + 1);
            assertThat(epoch.seconds()).isPositive();
            assertThat(epoch.imagesPerSecond()).isCloseTo(2_000 / epoch.seconds(), within(1e-9));
            assertThat(epoch.rssMegabytes()).isPositive();
            assertThat(epoch.heapUsedMegabytes()).isNotNegative();
            assertThat(epoch.cpuPercent()).isPositive();
            assertThat(epoch.expectedDensity()).isBetween(0.5, 1.0);
            assertThat(epoch.denseSeconds()).isPositive();
            assertThat(epoch.denseCpuPercent()).isPositive();
            assertThat(epoch.compileSeconds()).isNotNegative();
            // the paper MLP's three gated layers; an epoch of 2,000 images is 16 steps of 128
            assertThat(epoch.sparsePasses()).hasSize(3).allSatisfy(n -> assertThat(n).isBetween(0L, 16L));
        }
        double ratio2 = result.epochs().get(1).seconds() / result.epochs().get(1).denseSeconds();
        double ratio3 = result.epochs().get(2).seconds() / result.epochs().get(2).denseSeconds();
        assertThat(result.medianGatedToDenseRatio()).isCloseTo((ratio2 + ratio3) / 2, within(1e-12));
        assertThat(run.out()).contains(String.format(Locale.ROOT, "gated / dense     %.2f",
                result.medianGatedToDenseRatio())).contains("oneDNN ISA").contains("sparse compute on")
                .contains("gates in closed form, SIMD in Java").containsPattern("intra-op threads [1-9]");
        assertThat(result.measured()).containsExactlyElementsOf(result.epochs().subList(1, 3));
        double median = (result.epochs().get(1).seconds() + result.epochs().get(2).seconds()) / 2;
        assertThat(result.medianEpochSeconds()).isPositive().isCloseTo(median, within(1e-12));
        assertThat(result.imagesPerSecond()).isPositive().isCloseTo(2_000 / median, within(1e-9));
        assertThat(result.rssAfterFirstEpochMegabytes()).isPositive()
                .isEqualTo(result.epochs().get(0).rssMegabytes());
        assertThat(result.rssAfterLastEpochMegabytes()).isPositive()
                .isEqualTo(result.epochs().get(2).rssMegabytes());
        // with two measured epochs the least-squares slope is their difference
        assertThat(result.growthMegabytesPerEpoch()).isEqualTo(
                (double) (result.epochs().get(2).rssMegabytes() - result.epochs().get(1).rssMegabytes()));
        assertThat(result.allocator()).isEqualTo(NativeAllocator.describe());

        assertThat(run.out()).contains("epoch   1/3").contains("epoch   3/3").contains("images/s")
                .contains("  jit ").contains("  sparse passes ")
                .contains("summary (epoch 1 is warm-up; statistics over epochs 2..3)")
                .contains(String.format(Locale.ROOT, "median epoch      %.2f s",
                        result.medianEpochSeconds()))
                .contains("allocator         " + result.allocator())
                // the test JVM's heap is neither fixed nor pre-touched, so the growth is not called native
                .contains("resident growth").contains("Java heap included").doesNotContain("native growth");
    }

    @Test
    void fromRunContinuesAfterTheRunsNewestCheckpointAndWritesNothingThere(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        CliRun train = CliRun.of("train", "--epochs", "1", "--train-subset", "1000", "--test-subset", "1000",
                "--out", runDir.toString(), "--data-dir", GenuineMnist.directory().toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        long filesBefore;
        try (var files = Files.walk(runDir)) {
            filesBefore = files.count();
        }
        CliRun run = CliRun.of("bench", "--epochs", "3", "--no-dense", "--no-sparse-compute", "--from-run",
                runDir.toString(), "--data-dir", GenuineMnist.directory().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        BenchResult result = run.<BenchCommand>command("bench").lastResult();
        assertThat(result.trainExamples()).isEqualTo(1_000);
        assertThat(run.out()).contains("from " + runDir + " after epoch 1").contains("sparse compute off")
                .doesNotContain("gated / dense").doesNotContain("sparse passes");
        assertThat(result.epochs()).allSatisfy(e -> assertThat(e.sparsePasses()).isEmpty());
        assertThat(result.medianGatedToDenseRatio()).isNaN();
        try (var files = Files.walk(runDir)) {
            assertThat(files.count()).isEqualTo(filesBefore);
        }
    }

    @Test
    void profileTracesTheGatedEpochAndTheDenseEpochEachInItsOwnFile(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("step.json");
        CliRun run = CliRun.of("bench", "--epochs", "3", "--train-subset", "1280", "--profile", trace.toString(),
                "--data-dir", GenuineMnist.directory().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(trace).isNotEmptyFile();
        assertThat(dir.resolve("step-dense.json")).isNotEmptyFile();
        Matcher m = Pattern.compile("profile(| of the dense network) \\(one more epoch, [0-9.]+ s under the profiler;"
                + " trace in (\\S+)\\):\\R\\s+([0-9.]+) top-level native operations per training step \\(\\d+ in 10"
                + " steps").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        assertThat(m.group(1)).isEmpty();
        assertThat(m.group(2)).isEqualTo(trace.toString());
        double gated = Double.parseDouble(m.group(3));
        assertThat(m.find()).as(run.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(" of the dense network");
        assertThat(m.group(2)).isEqualTo(dir.resolve("step-dense.json").toString());
        double dense = Double.parseDouble(m.group(3));
        // the gates add their draw, their expected density and the Lagrangian's terms to the same network
        assertThat(dense).isPositive().isLessThan(gated);
        // the profiled epochs are not timed epochs
        assertThat(run.<BenchCommand>command("bench").lastResult().epochs()).hasSize(3);
    }

    @Test
    void fromRunWithoutARunNamesTheOption(@TempDir Path dir) {
        CliRun run = CliRun.of("bench", "--from-run", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--from-run': " + dir + " is not a run directory");
    }

    @Test
    void fewerThanThreeEpochsNamesTheOption() {
        CliRun run = CliRun.of("bench", "--epochs", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--epochs': 1 (must be >= 3");
    }

    @Test
    void aNegativeGrowthLimitNamesTheOption() {
        CliRun run = CliRun.of("bench", "--max-growth-mb-per-epoch", "-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--max-growth-mb-per-epoch': -1.0 (must be >= 0");
    }

    @Test
    void anUnknownModelNamesTheOptionAndTheChoices() {
        CliRun run = CliRun.of("bench", "--model", "ResNet");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--model'").contains("MLP, LENET")
                .contains("ResNet");
    }

    @Test
    void aTrainSubsetOutOfRangeNamesTheOption() {
        CliRun run = CliRun.of("bench", "--train-subset", "60001");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--train-subset': 60001 (must be in [0, 60000]");
    }
}
