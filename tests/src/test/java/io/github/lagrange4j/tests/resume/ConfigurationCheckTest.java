package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resuming with a configuration that differs from the run's (another ε, seed or model) is refused with a
 * message listing every difference as {@code --option: old -> new}, and leaves the run directory untouched;
 * the run's own options are accepted.
 */
class ConfigurationCheckTest {

    @TempDir
    Path dir;

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("--epsilon", "0.3", List.of("--epsilon: [0.5] -> [0.3]")),
                Arguments.of("--seed", "12", List.of("--seed: 11 -> 12")),
                Arguments.of("--model", "LENET", List.of("--model: MLP -> LENET")),
                Arguments.of("--dual-optimizer", "NUPI", List.of("--dual-optimizer: SGD -> NUPI",
                        "--nupi-kp: 0.0 -> 1.0")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("changes")
    void anotherSettingIsRefusedWithTheListOfDifferences(String option, String value, List<String> differences)
            throws Exception {
        Path run = copyOfReferenceRun();
        Snapshot before = Snapshot.of(run);

        ResumeFixture.Cli resumed = ResumeFixture.cli(resumeWith(run, option, value));

        assertThat(resumed.exitCode()).isEqualTo(1);
        assertThat(resumed.err()).isEqualTo("error: --resume: the requested configuration differs from the one "
                + run + " was started with:\n  " + String.join("\n  ", differences)
                + "\nrerun without those options, or pass --allow-config-change" + System.lineSeparator());
        assertThat(Snapshot.of(run)).isEqualTo(before);
    }

    @Test
    void theRunsOwnOptionsAreAcceptedAndAFinishedRunStaysAsItIs() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Path run = copyOfReferenceRun();

        ResumeFixture.Cli resumed = ResumeFixture.cli(resumeWithOwnOptions(run));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming " + run + " from epoch 4 (checkpoint-000004.ckpt)")
                .doesNotContain("configuration changed").doesNotContain("epoch   ");
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(reference);
    }

    @Test
    void aRunWhoseConfigurationPredatesTheDualOptimizerOptionResumesWithGradientAscent() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Path run = copyOfReferenceRun();
        Path config = run.resolve("config.json");
        JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        assertThat(json.getAsJsonObject("configuration").remove("dualMethod")).isNotNull();
        Files.writeString(config, json.toString());

        ResumeFixture.Cli resumed = ResumeFixture.cli(resumeWithOwnOptions(run));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming " + run + " from epoch 4").doesNotContain("configuration changed");
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(reference);
    }

    private Path copyOfReferenceRun() throws Exception {
        Path run = dir.resolve("run");
        ResumeFixture.copy(ResumeFixture.referenceDirectory(), run);
        return run;
    }

    private static List<String> resumeWithOwnOptions(Path run) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString()));
        args.addAll(ResumeFixture.options(ResumeFixture.EPOCHS));
        return args;
    }

    /** The run's own options with one of them set to another value (or added, if the run did not give it). */
    private static List<String> resumeWith(Path run, String option, String value) {
        List<String> args = resumeWithOwnOptions(run);
        int at = args.indexOf(option);
        if (at < 0) {
            args.addAll(List.of(option, value));
        } else {
            args.set(at + 1, value);
        }
        return args;
    }

    /** The content of every file of a run directory. */
    private record Snapshot(List<String> files) {
        static Snapshot of(Path run) throws Exception {
            try (Stream<Path> walk = Files.walk(run)) {
                List<String> files = new ArrayList<>();
                for (Path p : walk.sorted().toList()) {
                    files.add(run.relativize(p) + (Files.isRegularFile(p)
                            ? " " + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                                    .getInstance("SHA-256").digest(Files.readAllBytes(p)))
                            : ""));
                }
                return new Snapshot(files);
            }
        }
    }
}
