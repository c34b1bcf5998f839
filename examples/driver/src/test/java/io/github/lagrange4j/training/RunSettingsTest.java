package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.Normalization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings are grouped records changed by name, validated naming the setting, and compared setting by setting. */
class RunSettingsTest {

    private static final RunSettings PAPER = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED);

    @Test
    void thePresetsHoldThePapersValuesInTheirGroups() {
        assertThat(PAPER.model()).isEqualTo(new ModelSettings(ModelKind.MLP, false));
        assertThat(PAPER.objective()).isEqualTo(new ObjectiveSettings(Approach.CONSTRAINED, ConstraintScope.MODEL,
                new double[] {0.33}, 0, 0.1, PenaltyForm.LOUIZOS));
        assertThat(PAPER.optimization()).isEqualTo(new OptimizationSettings(7e-4, 7e-4, 1e-4, DualMethod.SGD, true,
                UpdateScheme.SIMULTANEOUS, 128));
        assertThat(PAPER.data()).isEqualTo(new DataSettings(DatasetKind.MNIST, Normalization.MNIST_STANDARDIZED, 0, 0,
                5000));
        assertThat(PAPER.schedule()).isEqualTo(new ScheduleSettings(200, LearningRateSchedule.CONSTANT, 0, 0, null, 1));
        assertThat(PAPER.seed()).isEqualTo(42);
        RunSettings certified = RunSettings.certified(ModelKind.MLP, Approach.CONSTRAINED);
        assertThat(certified.differences(PAPER)).extracting(SettingDifference::toString).containsExactly(
                "objective.budgetMargin: 0.005 -> 0.0", "optimization.gateLearningRate: 0.007 -> 7.0E-4",
                "optimization.dualLearningRate: 0.01 -> 1.0E-4", "schedule.epochs: 30 -> 200",
                "schedule.finetuneEpochs: 40 -> 0", "schedule.finetuneGateNoise: 1.6 -> null");
        assertThat(certified.schedule().totalEpochs()).isEqualTo(70);
        assertThat(RunSettings.paper(ModelKind.LENET, Approach.PENALIZED).objective().label())
                .isEqualTo("penalized lambda = 0.1/N");
    }

    @Test
    void theDescriptionIsTheFlatConfigurationOnOneLine() {
        assertThat(RunSettings.quick().toString())
                .startsWith("RunSettings{\"model\":\"MLP\",\"approach\":\"CONSTRAINED\",\"scope\":\"MODEL\","
                        + "\"epsilons\":[0.33],\"penaltyLambda\":0.1,")
                .contains("\"dualMethod\":{\"kind\":\"SGD\",\"kP\":0.0,\"nu\":0.0}",
                        "\"normalization\":\"standardized\",\"dataset\":\"mnist\"")
                .endsWith("\"finetuneGateNoise\":null}");
    }

    @Test
    void theBuilderRequiresModelAndObjectiveAndDefaultsTheRestToThePaperPreset() {
        assertThat(RunSettings.builder().setModel(ModelKind.MLP)
                .setObjective(ObjectiveSettings.constrained(ConstraintScope.MODEL, 0.33)).build()).isEqualTo(PAPER);
        RunSettings lenet = RunSettings.builder().setModel(ModelKind.LENET)
                .setObjective(ObjectiveSettings.constrained(ConstraintScope.LAYER, 0.5, 0.3, 0.1, 0.5))
                .optSchedule(ScheduleSettings.of(20)).optSeed(7).build();
        assertThat(lenet.optimization()).isEqualTo(RunSettings.paper(ModelKind.LENET, Approach.CONSTRAINED)
                .optimization());
        assertThat(lenet.schedule().epochs()).isEqualTo(20);
        assertThat(lenet.seed()).isEqualTo(7);
        assertThatThrownBy(() -> RunSettings.builder().setModel(ModelKind.MLP).build())
                .hasMessage("objective is required: call setObjective");
        assertThatThrownBy(() -> RunSettings.builder().build()).hasMessage("model is required: call setModel");
    }

    @Test
    void withChangesOnlyTheNamedSettings() {
        RunSettings changed = PAPER.withSchedule(s -> s.withEpochs(3))
                .withOptimization(o -> o.withDualMethod(DualMethod.of(DualMethod.Kind.ADAM)));

        assertThat(changed.schedule().epochs()).isEqualTo(3);
        assertThat(changed.optimization().dualMethod().kind()).isEqualTo(DualMethod.Kind.ADAM);
        assertThat(changed.objective()).isSameAs(PAPER.objective());
        assertThat(changed.withSchedule(s -> s.withEpochs(200)).withOptimization(o -> o.withDualMethod(DualMethod.SGD)))
                .isEqualTo(PAPER).hasSameHashCodeAs(PAPER);
        double[] eps = {0.2};
        RunSettings tighter = PAPER.withObjective(o -> o.withEpsilons(eps));
        eps[0] = 0.9;
        assertThat(tighter.objective().epsilons()).containsExactly(0.2);
        assertThat(tighter.objective().withBudgetMargin(0.05).constraintEpsilons()).containsExactly(0.2 - 0.05);
    }

    @Test
    void validationNamesTheSettingByItsPath() {
        assertThatThrownBy(() -> PAPER.withObjective(o -> o.withEpsilons(1.5)))
                .hasMessage("objective.epsilons must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> PAPER.withObjective(o -> o.withScope(ConstraintScope.LAYER)))
                .hasMessage("objective.epsilons: a layer-wise budget for MLP needs 3 target(s), got 1");
        assertThat(PAPER.withObjective(o -> o.withScope(ConstraintScope.MACS)).objective().epsilons())
                .containsExactly(0.33);
        assertThatThrownBy(() -> PAPER.withObjective(o -> o.withScope(ConstraintScope.MACS).withEpsilons(0)))
                .hasMessage("objective.epsilons: a MAC budget must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> PAPER.withObjective(o -> o.withScope(ConstraintScope.MACS).withEpsilons(0.3, 0.3)))
                .hasMessage("objective.epsilons: a MAC budget takes one fraction of the dense model's MACs, got 2");
        // a penalized objective ignores the scope: no fraction needed
        assertThat(ObjectiveSettings.penalized(0.1, PenaltyForm.LOUIZOS).withScope(ConstraintScope.MACS).epsilons())
                .isEmpty();
        assertThatThrownBy(() -> PAPER.withObjective(o -> o.withBudgetMargin(0.33)))
                .hasMessage("objective.budgetMargin must be >= 0 and below every epsilon (0.33), got 0.33");
        assertThatThrownBy(() -> PAPER.withOptimization(o -> o.withGateLearningRate(0)))
                .hasMessage("optimization.gateLearningRate must be > 0 and finite, got 0.0");
        assertThatThrownBy(() -> PAPER.withOptimization(o -> o.withBatchSize(0)))
                .hasMessage("optimization.batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> new DualMethod(DualMethod.Kind.NUPI, 1, 1))
                .hasMessage("optimization.dualMethod.nu must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> PAPER.withData(d -> d.withTrainSubset(58_000)))
                .hasMessage("data.validationSize: the 5000 held-out images and the 58000 of data.trainSubset must fit"
                        + " in the 60000 training images");
        assertThatThrownBy(() -> PAPER.withData(d -> d.withTestSubset(10_001)))
                .hasMessage("data.testSubset must be in [0, 10000] (0 = all), got 10001");
        assertThatThrownBy(() -> DatasetKind.of("cifar"))
                .hasMessage("data.dataset must be 'mnist' or 'fashion-mnist', got 'cifar'");
        assertThatThrownBy(() -> PAPER.withSchedule(s -> s.withEpochs(0)))
                .hasMessage("schedule.epochs must be >= 1, got 0");
        assertThatThrownBy(() -> PAPER.withSchedule(s -> s.withFinetuneGateNoise(5.0)))
                .hasMessage("schedule.finetuneGateNoise must be a log alpha in [-1.5, 4.6], got 5.0");
        assertThatThrownBy(() -> PAPER.withSchedule(s -> s.withCheckpointEvery(0)))
                .hasMessage("schedule.checkpointEvery must be >= 1, got 0");
    }

    @Test
    void differencesListEveryChangedSettingByPathInDeclarationOrder() {
        RunSettings requested = PAPER.withModel(m -> m.withRescaleWeights(true))
                .withObjective(o -> o.withEpsilons(0.2))
                .withOptimization(o -> o.withDualMethod(DualMethod.of(DualMethod.Kind.NUPI)))
                .withData(d -> d.withNormalization(Normalization.UNIT_INTERVAL).withDataset(DatasetKind.FASHION_MNIST))
                .withSchedule(s -> s.withLrSchedule(LearningRateSchedule.COSINE).withFinetuneGateNoise(1.6))
                .withSeed(8);

        List<SettingDifference> differences = PAPER.differences(requested);

        assertThat(differences).extracting(SettingDifference::toString).containsExactly(
                "model.rescaleWeights: false -> true",
                "objective.epsilons: [0.33] -> [0.2]",
                "optimization.dualMethod.kind: SGD -> NUPI",
                "optimization.dualMethod.kP: 0.0 -> 1.0",
                "data.dataset: mnist -> fashion-mnist",
                "data.normalization: standardized -> unit",
                "schedule.lrSchedule: constant -> cosine",
                "schedule.finetuneGateNoise: null -> 1.6",
                "seed: 42 -> 8");
        assertThat(differences.get(1)).isEqualTo(new SettingDifference("objective.epsilons", "[0.33]", "[0.2]"));
        assertThat(PAPER.differences(RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED))).isEmpty();
        assertThat(requested.differences(PAPER)).hasSize(9).first()
                .isEqualTo(new SettingDifference("model.rescaleWeights", "true", "false"));
    }
}
