package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.NonFiniteException;
import io.github.lagrange4j.training.RunDirectoryException;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.RunStop;
import io.github.lagrange4j.training.output.RunDirectoryInUseException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's refusals and resume advice, worded with the command line's options. */
class RunDirectoryMessagesTest {

    private final Path run = Path.of("runs", "x");

    @Test
    void theResumeCommandQuotesADirectoryWithBlanks() {
        assertThat(RunDirectoryMessages.resumeCommand(Path.of("runs/my run")))
                .isEqualTo("./lagrange4j train --resume 'runs/my run'");
        assertThat(RunDirectoryMessages.resumeCommand(Path.of("runs/a"))).isEqualTo("./lagrange4j train --resume runs/a");
    }

    @Test
    void theCommandLineSetsItsResumeCommandAsTheDriversAdvice() {
        Main.commandLine();

        assertThat(RunStop.resumeAdvice(run)).isEqualTo("./lagrange4j train --resume runs/x");
    }

    @Test
    void refusalsNameTheOptions() {
        assertThat(RunDirectoryMessages.of(new RunDirectoryException(RunDirectoryException.Reason.HOLDS_A_RUN, run,
                List.of()))).isEqualTo("run directory runs/x already holds a run (config.json exists); use --resume"
                        + " runs/x or choose another --out");
        assertThat(RunDirectoryMessages.of(new RunDirectoryException(RunDirectoryException.Reason.NOT_EMPTY, run,
                List.of("a.txt")))).isEqualTo("--out runs/x is not empty and holds no run (no config.json; it"
                        + " contains a.txt); choose a new or empty directory");
        assertThat(RunDirectoryMessages.of(new RunDirectoryException(RunDirectoryException.Reason.NOT_A_RUN, run,
                List.of()))).isEqualTo("--resume: runs/x is not a run directory (no config.json)");
        assertThat(RunDirectoryMessages.of(new RunDirectoryException(RunDirectoryException.Reason.SETTINGS_DIFFER, run,
                List.of("seed: 7 -> 8", "objective.epsilons: [0.5] -> [0.3]", "model.rescaleWeights: false -> true"))))
                .isEqualTo("--resume: the requested configuration differs from the one runs/x was started with:\n"
                        + "  --seed: 7 -> 8\n  --epsilon: [0.5] -> [0.3]\n  model.rescaleWeights: false -> true\n"
                        + "rerun without those options, or pass --allow-config-change");
        assertThat(RunDirectoryMessages.of(new RunDirectoryInUseException("run directory runs/x is in use by process 1;"
                + " wait for it to finish or stop it, then retry (resuming the run continues it); nothing was changed",
                run, "process 1"))).isEqualTo("run directory runs/x is in use by process 1; wait for it to finish or"
                        + " stop it, then retry (--resume runs/x continues it); nothing was changed");
        NonFiniteException diverged = new NonFiniteException("loss", Double.NaN, 2, 17, RunSettings.quick());
        assertThat(RunDirectoryMessages.of(diverged)).isEqualTo(diverged.diagnosis() + " The last good checkpoint is"
                + " kept; resume with --resume after changing them (with --allow-config-change).");
    }
}
