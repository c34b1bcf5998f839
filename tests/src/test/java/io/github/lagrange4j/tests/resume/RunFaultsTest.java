package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.data.DataFileException;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults after a run has started leave what they must: a write that fails names the file and says what
 * the run directory keeps and how to continue; a data error leaves no half-made run directory; a
 * non-empty directory that is not a run is refused as {@code --out} and left untouched.
 */
class RunFaultsTest {

    @TempDir
    Path dir;

    private static List<String> train(Path out, int epochs) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(ResumeFixture.options(epochs));
        return args;
    }

    @Test
    void aFailedWriteNamesTheFileWhatSurvivesAndTheResumeCommand() throws Exception {
        Path run = dir.resolve("run");
        ResumeFixture.Cli first = ResumeFixture.cli(train(run, 1));
        assertThat(first.exitCode()).as(first.err()).isZero();
        // a real write failure at a real file: the plot's place is taken by a non-empty directory
        Path plot = run.resolve(SparsityRun.PLOT);
        Files.delete(plot);
        Files.writeString(Files.createDirectory(plot).resolve("x"), "in the way");

        ResumeFixture.Cli resumed = ResumeFixture.cli(List.of("train", "--resume", run.toString(), "--epochs", "2",
                "--allow-config-change"));

        assertThat(resumed.exitCode()).isEqualTo(1);
        assertThat(resumed.err()).startsWith("error: cannot write " + plot.toAbsolutePath() + ": ")
                .contains("The run stopped during epoch 2; " + run + " keeps every file as of the checkpoint of"
                        + " epoch 1 (files are replaced atomically, none is half-written).")
                .contains("then continue with: ./lagrange4j train --resume " + run);
    }

    @Test
    void aDataErrorFoundAfterTheStartLeavesNoRunDirectory() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.copy(ResumeFixture.data().resolve(name), data.resolve(name));
        }
        try (var channel = Files.newByteChannel(data.resolve("t10k-images-idx3-ubyte"), StandardOpenOption.WRITE)) {
            channel.truncate(1000); // a torn test-images file
        }
        Path run = dir.resolve("run");
        RunSettings settings = RunSettings.quick().withData(d -> d.withTrainSubset(500).withTestSubset(100))
                .withSchedule(s -> s.withEpochs(1));

        assertThatThrownBy(() -> SparsityRun.start(settings, run, Engine.getEngine("PyTorch"), Device.cpu(),
                IdxFileSet.mnist(data), Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOf(DataFileException.class)
                .hasMessageStartingWith(data.resolve("t10k-images-idx3-ubyte").toString());
        assertThat(run).doesNotExist();
    }

    @Test
    void aNonEmptyDirectoryThatIsNotARunIsRefusedAsOutAndLeftAlone() throws Exception {
        Path out = Files.createDirectory(dir.resolve("photos"));
        Path mine = Files.writeString(out.resolve("holiday.jpg"), "not a run");

        ResumeFixture.Cli refused = ResumeFixture.cli(train(out, 1));

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("error: --out " + out + " is not empty and holds no run (no config.json;"
                + " it contains holiday.jpg); choose a new or empty directory");
        try (var files = Files.list(out)) {
            assertThat(files).containsExactly(mine);
        }
        assertThat(mine).hasContent("not a run");
    }
}
