package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {

    record Optimizer(double primalLr, double dualLr, String scheme) {}

    record Config(String model, double epsilon, int epochs, Path dataDir, Optimizer optimizer) {}

    private static final Instant START = Instant.parse("2025-01-02T03:04:05Z");
    private static final Config MLP = new Config("mlp", 0.33, 200, Path.of("data/mnist"),
            new Optimizer(7e-4, 1e-4, "simultaneous"));

    @TempDir
    Path run;

    private static RunManifest manifest(Object config, long seed, String engine) {
        return RunManifest.of(config, seed, engine, "2.7.1", "0.36.0", "17.0.15", "Linux 6.1 amd64", START);
    }

    @Test
    void writesAndReadsBackEveryField() throws IOException {
        RunManifest written = manifest(MLP, 42, "PyTorch");
        written.write(run);

        RunManifest read = RunManifest.read(run);

        assertThat(read.configurationAs(Config.class)).isEqualTo(MLP);
        assertThat(read.seed()).isEqualTo(42);
        assertThat(read.engineName()).isEqualTo("PyTorch");
        assertThat(read.engineVersion()).isEqualTo("2.7.1");
        assertThat(read.djlVersion()).isEqualTo("0.36.0");
        assertThat(read.javaVersion()).isEqualTo("17.0.15");
        assertThat(read.os()).isEqualTo("Linux 6.1 amd64");
        assertThat(read.startTime()).isEqualTo(START);
        assertThat(read.diff(written)).isEmpty();
        assertThat(Files.readString(run.resolve(RunManifest.FILE)))
                .contains("\"epsilon\": 0.33", "\"dataDir\": \"data/mnist\"", "\"seed\": 42",
                        "\"startTime\": \"2025-01-02T03:04:05Z\"");
    }

    @Test
    void diffListsEachDifferingKeyAsOldArrowNewInKeyOrder() {
        RunManifest stored = manifest(MLP, 42, "PyTorch");
        Config lenet = new Config("lenet5", 0.10, 200, Path.of("data/mnist"),
                new Optimizer(7e-4, 1e-3, "simultaneous"));
        RunManifest requested = manifest(lenet, 7, "MXNet");

        assertThat(stored.diff(requested)).containsExactly(
                "configuration.epsilon: 0.33 -> 0.1",
                "configuration.model: mlp -> lenet5",
                "configuration.optimizer.dualLr: 1.0E-4 -> 0.001",
                "engine: PyTorch -> MXNet",
                "seed: 42 -> 7");
    }

    @Test
    void diffMarksKeysOnlyOneSideHasAndComparesNumbersByValue() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("epochs", 200);
        stored.put("preset", "paper");
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("epochs", 200.0);
        requested.put("resumeOverride", true);

        assertThat(manifest(stored, 1, "PyTorch").diff(manifest(requested, 1, "PyTorch"))).containsExactly(
                "configuration.preset: paper -> <absent>",
                "configuration.resumeOverride: <absent> -> true");
    }

    @Test
    void versionsPlatformAndStartTimeDoNotCountAsDifferences() {
        RunManifest a = manifest(MLP, 42, "PyTorch");
        RunManifest b = RunManifest.of(MLP, 42, "PyTorch", "2.7.2", "0.37.0", "21", "Mac", Instant.EPOCH);
        assertThat(a.diff(b)).isEmpty();
    }

    @Test
    void captureRecordsTheDjlVersionOnTheClasspathAndThisJvm() {
        RunManifest m = RunManifest.capture(Map.of("model", "mlp"), 3, "PyTorch", "2.7.1");
        assertThat(m.djlVersion()).isEqualTo("0.36.0");
        assertThat(m.javaVersion()).startsWith(System.getProperty("java.version"));
        assertThat(m.os()).startsWith(System.getProperty("os.name"));
    }

    @Test
    void aConfigurationThatIsNotAnObjectIsRejected() {
        assertThatThrownBy(() -> manifest(List.of(1, 2), 1, "PyTorch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("configuration must serialise to a JSON object, got [1,2]");
        assertThatThrownBy(() -> manifest(MLP, 1, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("engineName must be a non-blank text, got  ");
    }

    @Test
    void aMalformedManifestIsReportedWithItsPath() throws IOException {
        Files.writeString(run.resolve(RunManifest.FILE), "{\"configuration\": {}, \"seed\": 1}");

        assertThatThrownBy(() -> RunManifest.read(run))
                .isInstanceOf(IOException.class)
                .hasMessage(run.resolve(RunManifest.FILE) + ": malformed run manifest: missing object \"engine\"");
    }
}
