package io.github.lagrange4j.tests.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.lagrange4j.cli.ExportCommand;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.ModelExport;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.SparsityRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lagrange4j export} on the trained MLP run of {@link TrainedMlpRun}: it exits 0, its compacted model
 * reloads as an ordinary DJL model whose only parameterised blocks are {@code Linear} layers and predicts the
 * genuine test images like the gated model; on a missing or incomplete run directory it exits non-zero
 * naming the directory and what is missing.
 */
class ExportCommandTest {

    record Cli(int exitCode, String out, String err, ExportCommand command) {}

    static Cli export(String... args) {
        ExportCommand command = new ExportCommand();
        CommandLine commandLine = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Cli(exitCode, out.toString(), err.toString(), command);
    }

    @Test
    void exportedMlpReloadsAsAnOrdinaryModelAndPredictsLikeTheGatedOne(@TempDir Path out) throws Exception {
        RunResult run = TrainedMlpRun.result();
        Cli cli = export("--run", run.runDirectory().toString(), "--out", out.toString(), "--repeats", "1",
                "--engine", "PyTorch", "--data-dir", GenuineMnist.directory().toString());
        System.out.print(cli.out());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("parameters", "file size (bytes)", "images/s (batch 1000, median)",
                "speed-up");

        ModelExport.Result r = cli.command().lastResult();
        assertThat(r.testImages()).isEqualTo(10_000);
        assertThat(r.maxAbsLogitDifference()).isLessThan(1e-5);
        assertThat(r.argmaxAgreement()).isEqualTo(1.0);
        assertThat(r.compactAccuracy()).isEqualTo(r.gatedAccuracy()).isGreaterThan(0.85);
        assertThat(r.compactParameters()).isEqualTo(r.keptParameters()).isEqualTo(run.last().keptParameters());
        assertThat(r.gatedParameters()).isEqualTo(266_610 + 1_184);
        assertThat(r.compactFileBytes()).isLessThan(r.gatedFileBytes()).isGreaterThan(4 * r.compactParameters());
        assertThat(r.prunedArchitecture()).isEqualTo(run.last().prunedArchitecture());
        assertThat(r.gatedImagesPerSecond()).isPositive();
        assertThat(r.compactImagesPerSecond()).isPositive();
        assertThat(r.speedup()).isEqualTo(r.compactImagesPerSecond() / r.gatedImagesPerSecond());
        // the deployed model's density against the run's budget: kept weights and biases of the gated layers
        assertThat(r.budget().entries()).singleElement().satisfies(e -> {
            assertThat(e.scope()).isEqualTo("model");
            assertThat(e.epsilon()).isEqualTo(TrainedMlpRun.SETTINGS.objective().epsilons()[0]);
            assertThat(e.keptFraction()).isEqualTo(r.compactParameters() / 266_610.0);
            assertThat(e.expectedDensity()).isCloseTo(run.last().expectedDensity(), within(1e-9));
            assertThat(cli.out()).contains("budget " + e.describe());
        });

        JsonObject description = JsonParser.parseString(
                Files.readString(out.resolve(r.modelName() + ".json"), StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(description.get("model").getAsString()).isEqualTo("MLP");
        List<Long> kept = new ArrayList<>();
        description.getAsJsonArray("keptOutputs").forEach(e -> kept.add(e.getAsLong()));
        assertThat(kept).isEqualTo(r.keptOutputs());

        try (Model model = Model.newInstance(r.modelName(), "PyTorch");
                NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            SequentialBlock skeleton = Compaction.skeleton((SequentialBlock) ModelKind.MLP.build(true, false), kept);
            model.setBlock(skeleton);
            model.load(out, r.modelName());
            long parameters = 0;
            for (Pair<String, Block> child : skeleton.getChildren()) {
                if (!child.getValue().getParameters().isEmpty()) {
                    assertThat(child.getValue()).isInstanceOfAny(Linear.class, Conv2d.class);
                }
            }
            for (var p : skeleton.getParameters()) {
                parameters += p.getValue().getArray().size();
            }
            assertThat(parameters).isEqualTo(r.compactParameters());

            SequentialBlock gated = TrainedMlpRun.loadGated(ModelKind.MLP,
                    run.runDirectory().resolve(SparsityRun.MODEL), manager);
            NDArray[] test = TrainedMlpRun.testImages(ModelKind.MLP, 2_000, manager);
            NDArray expected = TrainedMlpRun.logits(gated, test[0]);
            NDArray actual = TrainedMlpRun.logits(skeleton, test[0]);
            assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-5f);
            assertThat(actual.argMax(1).eq(expected.argMax(1)).all().getBoolean()).isTrue();
        }
    }

    @Test
    void missingRunDirectoryExitsNonZeroNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-run");
        CommandLine main = io.github.lagrange4j.cli.Main.commandLine();
        StringWriter err = new StringWriter();
        main.setErr(new PrintWriter(err, true));
        main.setOut(new PrintWriter(new StringWriter(), true));
        int exitCode = main.execute("export", "--run", missing.toString());
        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--run': " + missing + " is not a directory");
    }

    @Test
    void directoryWithoutRunFilesExitsNonZeroNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        Cli noConfig = export("--run", dir.toString());
        assertThat(noConfig.exitCode()).isNotZero();
        assertThat(noConfig.err()).contains(dir + " has no config.json");

        Files.copy(TrainedMlpRun.result().runDirectory().resolve("config.json"), dir.resolve("config.json"));
        Cli noModel = export("--run", dir.toString());
        assertThat(noModel.exitCode()).isNotZero();
        assertThat(noModel.err()).contains(dir + " has no model.params");

        Cli badRepeats = export("--run", dir.toString(), "--repeats", "0");
        assertThat(badRepeats.exitCode()).isNotZero();
        assertThat(badRepeats.err()).contains("Invalid value for option '--repeats': must be >= 1, got 0");
    }
}
