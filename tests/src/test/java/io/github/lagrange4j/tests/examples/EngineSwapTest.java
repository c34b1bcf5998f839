package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.EngineSwap;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The engine-swap example: {@code --engine MXNet} trains on MXNet although the JVM pins PyTorch as the
 * default engine, and the constrained run learns and sparsifies there too.
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
    void anUnknownEngineIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> EngineSwap.runExample("--engine", "TensorFlow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--engine")
                .hasMessageContaining("TensorFlow");
    }
}
