package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.examples.LayerDensityCap;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.models.GatedMlp;
import org.junit.jupiter.api.Test;

/**
 * The user-written constraint of the custom-constraints example, checked against the hard-concrete
 * formula: on the MLP's hidden-2 gates (100 of them) with half of log α at the value where
 * {@code P(z ≠ 0) = 1/2} and half at 3, the violation is
 * {@code (50·0.5 + 50·σ(3 + β·log(ζ/−γ))) / 100 − cap} and its gradient in each log α is
 * {@code P(1 − P) / 100}.
 */
class LayerDensityCapTest {

    private static final double BETA = 2.0 / 3.0;
    private static final double SHIFT = BETA * Math.log(1.1 / 0.1);

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void violationIsTheMeanProbabilityOfTheLayersGatesMinusTheCapAndDifferentiable() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            Block block = GatedMlp.build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
            GatedNetwork network = GatedNetwork.of(block);
            float[] values = new float[100];
            for (int i = 0; i < 100; i++) {
                values[i] = i < 50 ? (float) -SHIFT : 3f;
            }
            NDArray logAlpha = network.layers().get(2).logAlpha().getArray();
            logAlpha.muli(0).addi(manager.create(values));

            LayerDensityCap<Object> cap = new LayerDensityCap<>("density_cap_hidden2", network, 2, 0.4);
            double p = sigmoid(3 + SHIFT);
            try (NDManager step = manager.newSubManager();
                    GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                ConstraintState state = cap.computeState(null, step);
                assertThat(state.violation().getShape()).isEqualTo(new Shape(1));
                assertThat((double) state.violation().getFloat(0))
                        .isCloseTo((50 * 0.5 + 50 * p) / 100 - 0.4, within(1e-6));
                gc.backward(state.violation());
            }
            float[] gradient = logAlpha.getGradient().toFloatArray();
            assertThat((double) gradient[0]).isCloseTo(0.25 / 100, within(1e-7));
            assertThat((double) gradient[99]).isCloseTo(p * (1 - p) / 100, within(1e-7));
            assertThat(cap.constraint().name()).isEqualTo("density_cap_hidden2");
            assertThat(cap.constraint().type()).isEqualTo(ConstraintType.INEQUALITY);
            assertThat(cap.constraint().size()).isEqualTo(1);
        }
    }

    @Test
    void aLayerOutsideTheNetworkOrACapOutsideZeroOneIsRejected() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            Block block = GatedMlp.build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
            GatedNetwork network = GatedNetwork.of(block);

            assertThatThrownBy(() -> new LayerDensityCap<>("c", network, 3, 0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("layer must be in [0, 3), got 3");
            assertThatThrownBy(() -> new LayerDensityCap<>("c", network, 0, 1.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("cap must be in [0, 1], got 1.5");
        }
    }
}
