package io.github.lagrange4j.tests.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.cli.Main;
import io.github.lagrange4j.sweep.SweepGrid;
import io.github.lagrange4j.sweep.SweepPlan;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.RunSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad sweep grids are refused (exit 2) with a message naming the option, before anything is written. */
class SweepGridCliTest {

    @TempDir
    Path work;

    private static Result sweep(List<String> args) {
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(stdout, true));
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(args);
        return new Result(commandLine.execute(all.toArray(String[]::new)), err.toString());
    }

    private record Result(int code, String err) {}

    @Test
    void aDirectoryRecordingAnotherGridOrHoldingOtherFilesIsRefused() throws Exception {
        Path recorded = work.resolve("recorded");
        SweepPlan.of(new SweepGrid(List.of(Approach.CONSTRAINED), List.of(0.3), List.of(), List.of(1L), 0, null,
                List.of()), args -> RunSettings.quick()).write(recorded);
        Result r = sweep(List.of("--epsilon", "0.5", "--seeds", "1", "--out", recorded.toString()));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("holds a sweep with another grid").contains("epsilons: [0.3] recorded, [0.5] now");
        try (var entries = Files.list(recorded)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("sweep.json");
        }

        Path foreign = work.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        r = sweep(List.of("--epsilon", "0.5", "--out", foreign.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + foreign + " is not empty and holds no sweep");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--epsilon 0.2,1.5 | --epsilon: 1.5 is outside [0, 1]",
        "--epsilon 0.2,-0.5 | --epsilon: -0.5 is outside [0, 1]",
        "--epsilon 0.2,0.2 | --epsilon: 0.2 is given twice",
        "--seeds , | --seeds: an empty item",
        "--seeds '' | --seeds: the list is empty",
        "--epsilon '' | --epsilon: the list is empty",
        "--epsilon 0.2 --frobnicate 3 | unknown option '--frobnicate': neither a sweep option nor a train option",
        "--epsilon 0.2 --epochs 0 | epochs must be >= 1, got 0",
        "--epsilon 0.2 --seed 3 | --seed is not a train option of a sweep",
        "--approach CONSTRAINED --penalty-lambda 0.1 | --penalty-lambda applies to PENALIZED runs",
        "--approach PENALIZED,SPARSE | --approach: 'SPARSE' is not valid (CONSTRAINED or PENALIZED)",
        "--epsilon 0.2 --dense-error 150 | --dense-error must be a percentage in [0, 100]",
        "--epsilon 0.2 --max-attempts 0 | --max-attempts must be >= 1, got 0",
    })
    void badGridIsRefusedNamingTheOptionBeforeAnyRunStarts(String options, String message) {
        Path out = work.resolve("sweep");
        List<String> args = new ArrayList<>(List.of("sweep", "--out", out.toString()));
        for (String token : options.trim().split("\\s+")) {
            args.add(token.equals("''") ? "" : token);
        }
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(stdout, true));
        int code = commandLine.execute(args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains(message);
        assertThat(out).doesNotExist();
    }
}
