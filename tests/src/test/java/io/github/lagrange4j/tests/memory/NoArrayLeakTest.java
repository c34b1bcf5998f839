package io.github.lagrange4j.tests.memory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.FineTuner;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityTrainer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long training must not grow native memory: once the first epoch has created the optimizer state, an
 * epoch of constrained training (steps, gate clamping, evaluation, accounting) leaves exactly as many
 * arrays in the model's and the data's managers as it found. An array left behind per step holds native
 * memory until the model is closed (DJL's PyTorch {@code clip(Number, Number)} on log α leaked two per
 * gated layer and step, about 1 MB per paper-MLP epoch). The same holds for the fine-tuning phase (mask fixed
 * after epoch 3, then three epochs of weights-only Adam; its moments are created in the first one), also
 * with weight decay and the hard-concrete noise kept on the kept gates (training-mode forward pass).
 */
class NoArrayLeakTest {

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("PyTorch", ModelKind.MLP, false), Arguments.of("PyTorch", ModelKind.LENET, false),
                Arguments.of("MXNet", ModelKind.MLP, false), Arguments.of("PyTorch", ModelKind.MLP, true),
                Arguments.of("PyTorch", ModelKind.LENET, true), Arguments.of("MXNet", ModelKind.MLP, true));
    }

    @ParameterizedTest(name = "{1} on {0}, noisy fine-tuning {2}")
    @MethodSource("runs")
    void anEpochLeavesNoArrayBehind(String engineName, ModelKind model, boolean noisy) throws Exception {
        RunSettings settings = RunSettings.quick().withModel(m -> m.withArchitecture(model))
                .withObjective(o -> o.withEpsilons(0.3).withBudgetMargin(noisy ? 0.005 : 0))
                .withOptimization(o -> o.withGateLearningRate(0.05).withDualLearningRate(0.05).withBatchSize(64))
                .withSchedule(s -> s.withEpochs(3).withFinetuneEpochs(3).withFinetuneWeightDecay(noisy ? 1e-4 : 0)
                        .withFinetuneGateNoise(noisy ? 1.6 : null))
                .withData(d -> d.withTrainSubset(640).withTestSubset(200).withValidationSize(200));
        Engine engine = Engine.getEngine(engineName);
        try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, engine.defaultDevice(),
                IdxFileSet.mnist(GenuineMnist.directory()))) {
            trainer.trainEpoch(1);
            int model1 = trainer.model().getNDManager().getManagedArrays().size();
            int data1 = trainer.manager().getManagedArrays().size();

            trainer.trainEpoch(2);
            trainer.trainEpoch(3);

            assertThat(trainer.model().getNDManager().getManagedArrays()).as("arrays in the model's manager")
                    .hasSize(model1);
            assertThat(trainer.manager().getManagedArrays()).as("arrays in the data manager").hasSize(data1);

            // the fine-tuning phase: fixing the mask and fine-tuning epochs leave nothing behind either
            FineTuner fineTuner = new FineTuner(trainer);
            FineTuner.fixMask(settings, trainer.network());
            fineTuner.trainEpoch(4);
            fineTuner.trainEpoch(5);
            fineTuner.trainEpoch(6);
            assertThat(trainer.model().getNDManager().getManagedArrays()).as("arrays in the model's manager after"
                    + " fine-tuning").hasSize(model1);
            assertThat(trainer.manager().getManagedArrays()).as("arrays in the data manager after fine-tuning")
                    .hasSize(data1);
        }
    }
}
