package io.github.lagrange4j.tests.l0;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityTrainer;
import io.github.lagrange4j.training.output.EpochMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gated MLP trained on genuine MNIST under the model-wise budget "expected density ≤ 0.3" meets it
 * (≤ 0.32) and keeps at least 95% test accuracy, on either engine.
 *
 * <p>Protocol: the first 20,000 training images, batches of 64, 5 epochs, Adam 1e-3 for the weights and
 * 0.05 for log α, dual SGD 0.02 with restarts, standardised input, seed 42; all 10,000 test images with
 * deterministic gates.
 */
class GatedMlpBudgetEndToEndTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void constrainedMlpMeetsThirtyPercentDensityWithNinetyFivePercentAccuracy(String engineName) throws Exception {
        RunSettings settings = RunSettings.quick().withObjective(o -> o.withEpsilons(0.3).withPenaltyLambda(0))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.02).withBatchSize(64))
                .withSchedule(s -> s.withEpochs(5)).withSeed(42)
                .withData(d -> d.withTrainSubset(20_000).withTestSubset(0));
        Engine engine = Engine.getEngine(engineName);
        EpochMetrics last = null;
        try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, Device.cpu(),
                IdxFileSet.mnist(GenuineMnist.directory()))) {
            assertThat(trainer.model().getNDManager().getEngine().getEngineName()).isEqualTo(engineName);
            for (int epoch = 1; epoch <= settings.schedule().epochs(); epoch++) {
                last = trainer.trainEpoch(epoch);
                System.out.printf("[%s] epoch %d: density %.4f, test error %.2f%%, %s, multipliers %s%n", engineName,
                        epoch, last.expectedDensity(), 100 * last.testError(), last.prunedArchitecture(),
                        last.multipliers());
            }
        }
        assertThat(last.expectedDensity()).isLessThanOrEqualTo(0.32);
        assertThat(1 - last.testError()).isGreaterThanOrEqualTo(0.95);
        // the deterministic architecture really is pruned: fewer than a third of the input pixels survive
        int keptPixels = Integer.parseInt(last.prunedArchitecture().split("-")[0]);
        assertThat(keptPixels).isLessThan(784 / 2);
    }
}
