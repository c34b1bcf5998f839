package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import io.github.lagrange4j.examples.EngineSwap;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityTrainer;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The engine-swap example: {@code --engine MXNet} trains on MXNet although the JVM pins PyTorch as the
 * default engine, and the constrained run learns and sparsifies there too; on PyTorch its first epoch is
 * the driver's ({@code SparsityTrainer}: same data order, seeds, problem and update rule).
 */
class EngineSwapTest {

    @Test
    void mxnetFlagTrainsTheConstrainedModelOnMxnet() throws IOException {
        EngineSwap.Result r = EngineSwap.runExample(
                "--engine", "MXNet", "--data-dir", ExampleChecks.mnist().toString(), "--train-subset", "4000",
                "--test-subset", "1000", "--epochs", "2", "--batch-size", "64", "--lr", "2e-3", "--gate-lr", "0.1",
                "--dual-lr", "0.5", "--epsilon", "0.33");
        System.out.println(r);

        assertThat(System.getProperty("ai.djl.default_engine")).isEqualTo("PyTorch");
        assertThat(r.requestedEngine()).isEqualTo("MXNet");
        assertThat(r.engine()).isEqualTo("MXNet");
        assertThat(r.run().engine()).isEqualTo("MXNet");
        ExampleChecks.assertConsistent(r.run(), 2);
        assertThat(r.run().finalDensity()).isLessThan(r.run().initialDensity());
        assertThat(r.run().multipliers()).containsOnlyKeys("l0_model_density");
        assertThat(r.run().accuracy()).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void onPyTorchTheRunRepeatsTheDriversFirstEpoch() throws IOException {
        EngineSwap.Result r = EngineSwap.runExample(
                "--engine", "PyTorch", "--data-dir", ExampleChecks.mnist().toString(), "--train-subset", "4000",
                "--test-subset", "1000", "--epochs", "1", "--batch-size", "64", "--lr", "2e-3", "--gate-lr", "0.1",
                "--dual-lr", "0.5", "--epsilon", "0.33");
        RunSettings settings = RunSettings.quick().withObjective(o -> o.withEpsilons(0.33).withPenaltyLambda(0))
                .withOptimization(o -> o.withPrimalLearningRate(2e-3).withGateLearningRate(0.1)
                        .withDualLearningRate(0.5).withBatchSize(64))
                .withSchedule(s -> s.withEpochs(1)).withSeed(42)
                .withData(d -> d.withTrainSubset(4000).withTestSubset(1000));
        Engine pytorch = Engine.getEngine("PyTorch");
        EpochMetrics driver;
        try (SparsityTrainer trainer = new SparsityTrainer(settings, pytorch, pytorch.defaultDevice(),
                IdxFileSet.mnist(ExampleChecks.mnist()))) {
            driver = trainer.trainEpoch(1);
        }
        EpochMetrics swap = r.run().last();

        assertThat(r.engine()).isEqualTo("PyTorch");
        assertThat(swap.prunedArchitecture()).isEqualTo(driver.prunedArchitecture());
        assertThat(swap.expectedDensity()).isCloseTo(driver.expectedDensity(), within(1e-4));
        assertThat(swap.testError()).isCloseTo(driver.testError(), within(0.005));
        assertThat(swap.multipliers().get("l0_model_density"))
                .isCloseTo(driver.multipliers().get("l0_model_density"), within(1e-3));
    }

    @Test
    void anUnknownEngineIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> EngineSwap.runExample("--engine", "TensorFlow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--engine")
                .hasMessageContaining("TensorFlow");
    }
}
