package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.dual.NuPI;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.DualMethod;
import io.github.lagrange4j.training.LearningRateSchedule;
import io.github.lagrange4j.training.RunSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The sparsity options override a preset (or a resumed run's settings) one named option at a time. */
class SparsityOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        SparsityOptions options;
    }

    private static RunSettings parse(String... args) {
        Probe probe = new Probe();
        CommandLine commandLine = new CommandLine(probe);
        commandLine.parseArgs(args);
        return probe.options.settings(commandLine);
    }

    private static RunSettings resume(RunSettings stored, String... args) {
        Probe probe = new Probe();
        CommandLine commandLine = new CommandLine(probe);
        commandLine.parseArgs(args);
        return probe.options.settingsOver(commandLine, stored);
    }

    @Test
    void optionsLeftOutKeepThePresetsValues() {
        assertThat(parse()).isEqualTo(RunSettings.quick());
        RunSettings paper = RunSettings.paper(ModelKind.LENET, Approach.CONSTRAINED);
        assertThat(parse("--preset", "paper", "--model", "LENET")).isEqualTo(paper);
        assertThat(parse("--preset", "paper", "--model", "LENET", "--epochs", "7", "--dual-lr", "1e-3"))
                .isEqualTo(paper.withSchedule(s -> s.withEpochs(7))
                        .withOptimization(o -> o.withDualLearningRate(1e-3)));
    }

    @Test
    void theDualOptimizerIsChosenByNameWithNuPiGainsAsOptions() {
        RunSettings nupi = parse("--preset", "paper", "--dual-optimizer", "NUPI");
        assertThat(nupi.optimization().dualMethod()).isEqualTo(new DualMethod(DualMethod.Kind.NUPI, 1, 0));
        assertThat(nupi.optimization().dualMethod().optimizer(nupi.optimization().dualLearningRate())).isEqualTo(new NuPI(1e-4, 1, 1, 0));

        assertThat(parse("--dual-optimizer", "NUPI", "--nupi-kp", "4", "--nupi-nu", "0.9").optimization().dualMethod())
                .isEqualTo(new DualMethod(DualMethod.Kind.NUPI, 4, 0.9));
        assertThat(parse("--dual-optimizer", "ADAM").optimization().dualMethod()).isEqualTo(DualMethod.of(DualMethod.Kind.ADAM));
    }

    @Test
    void aResumedNuPiRunKeepsTheGainsNotGivenAgain() {
        RunSettings stored = RunSettings.quick()
                .withOptimization(o -> o.withDualMethod(new DualMethod(DualMethod.Kind.NUPI, 2, 0.5)));

        assertThat(resume(stored)).isEqualTo(stored);
        assertThat(resume(stored, "--nupi-nu", "0.9").optimization().dualMethod())
                .isEqualTo(new DualMethod(DualMethod.Kind.NUPI, 2, 0.9));
        assertThat(resume(stored, "--dual-optimizer", "SGD").optimization().dualMethod()).isEqualTo(DualMethod.SGD);
    }

    @Test
    void nuPiGainsWithoutNuPiOrOutOfRangeAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> parse("--nupi-kp", "2"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid option --nupi-kp and --nupi-nu apply to --dual-optimizer NUPI only, not SGD");
        assertThatThrownBy(() -> parse("--dual-optimizer", "NUPI", "--nupi-nu", "1"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid option --nupi-nu must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> parse("--dual-optimizer", "RMSPROP"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--dual-optimizer").hasMessageContaining("RMSPROP");
    }

    @Test
    void finetuningValidationAndScheduleOptionsReachTheSettingsAndBadValuesNameTheOption() {
        RunSettings s = parse("--finetune-epochs", "3", "--validation-size", "0", "--lr-schedule", "cosine");
        assertThat(s.schedule().finetuneEpochs()).isEqualTo(3);
        assertThat(s.data().validationSize()).isZero();
        assertThat(s.schedule().lrSchedule()).isEqualTo(LearningRateSchedule.COSINE);
        assertThat(s.schedule().totalEpochs()).isEqualTo(13);
        assertThat(parse().data().validationSize()).isEqualTo(5000);
        assertThat(parse().schedule().finetuneEpochs()).isZero();
        assertThatThrownBy(() -> parse("--finetune-epochs", "-1"))
                .hasMessage("Invalid option --finetune-epochs must be >= 0, got -1");
        assertThatThrownBy(() -> parse("--lr-schedule", "linear"))
                .hasMessage("Invalid option --lr-schedule must be 'constant' or 'cosine', got 'linear'");
        assertThatThrownBy(() -> parse("--validation-size", "60000"))
                .hasMessage("Invalid option --validation-size must be in [0, 60000) (0 = none), got 60000");
        assertThatThrownBy(() -> parse("--train-subset", "58000"))
                .hasMessage("Invalid option --validation-size: the 5000 held-out images and the 58000 of"
                        + " --train-subset must fit in the 60000 training images");
        assertThat(parse("--train-subset", "58000", "--validation-size", "2000").data().trainSubset()).isEqualTo(58000);
    }

    @Test
    void recipeOptionsReachTheSettingsAndBadValuesNameTheOption() {
        RunSettings s = parse("--budget-margin", "0.005", "--finetune-weight-decay", "1e-4",
                "--finetune-gate-noise", "1.6");
        assertThat(s.objective().budgetMargin()).isEqualTo(0.005);
        assertThat(s.objective().constraintEpsilons()).containsExactly(0.33 - 0.005);
        assertThat(s.objective().epsilons()).containsExactly(0.33);
        assertThat(s.schedule().finetuneWeightDecay()).isEqualTo(1e-4);
        assertThat(s.schedule().finetuneGateNoise()).isEqualTo(1.6);
        assertThat(parse().schedule().finetuneGateNoise()).isNull();
        RunSettings certified = parse("--preset", "certified");
        assertThat(certified).isEqualTo(RunSettings.certified(ModelKind.MLP, Approach.CONSTRAINED));
        assertThat(certified.schedule().totalEpochs()).isEqualTo(70);
        assertThat(certified.objective().budgetMargin()).isEqualTo(0.005);
        assertThat(certified.schedule().finetuneGateNoise()).isEqualTo(1.6);
        assertThat(certified.optimization().gateLearningRate()).isEqualTo(7e-3);
        assertThat(certified.optimization().dualLearningRate()).isEqualTo(1e-2);
        assertThat(certified.optimization().primalLearningRate()).isEqualTo(7e-4);
        assertThat(parse().objective().budgetMargin()).isZero();
        assertThatThrownBy(() -> parse("--budget-margin", "-0.01"))
                .hasMessage("Invalid option --budget-margin must be >= 0 and below every epsilon (0.33), got -0.01");
        assertThatThrownBy(() -> parse("--budget-margin", "0.33"))
                .hasMessage("Invalid option --budget-margin must be >= 0 and below every epsilon (0.33), got 0.33");
        assertThatThrownBy(() -> parse("--finetune-weight-decay", "-1"))
                .hasMessage("Invalid option --finetune-weight-decay must be >= 0 and finite, got -1.0");
        assertThatThrownBy(() -> parse("--finetune-gate-noise", "-2"))
                .hasMessage("Invalid option --finetune-gate-noise must be a log alpha in [-1.5, 4.6], got -2.0");
        assertThatThrownBy(() -> parse("--finetune-gate-noise", "5"))
                .hasMessage("Invalid option --finetune-gate-noise must be a log alpha in [-1.5, 4.6], got 5.0");
    }

    @Test
    void aMacBudgetTakesOneFractionInTheOpenUnitIntervalNamingTheOption() {
        RunSettings macs = parse("--preset", "certified", "--scope", "MACS", "--epsilon", "0.33");
        assertThat(macs).isEqualTo(RunSettings.certified(ModelKind.MLP, Approach.CONSTRAINED)
                .withObjective(o -> o.withScope(ConstraintScope.MACS)));
        assertThat(macs.objective().epsilons()).containsExactly(0.33);
        assertThat(macs.objective().label()).isEqualTo("constrained MACs eps = 0.33");
        // without --epsilon: the model's default, one fraction (LeNet 0.10)
        assertThat(parse("--model", "LENET", "--scope", "MACS").objective().epsilons()).containsExactly(0.10);
        assertThatThrownBy(() -> parse("--scope", "MACS", "--epsilon", "0.3,0.3,0.3"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid option --epsilon: a MAC budget takes one fraction of the dense model's MACs,"
                        + " got 3");
        assertThatThrownBy(() -> parse("--scope", "MACS", "--epsilon", "0"))
                .hasMessage("Invalid option --epsilon: a MAC budget must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> parse("--scope", "MACS", "--epsilon", "1.5"))
                .hasMessage("Invalid option --epsilon: a MAC budget must be in (0, 1], got 1.5");
        assertThat(parse("--scope", "MACS", "--epsilon", "1").objective().epsilons()).containsExactly(1.0);
        assertThatThrownBy(() -> parse("--scope", "FLOPS"))
                .hasMessageContaining("--scope").hasMessageContaining("MACS");
    }
}
