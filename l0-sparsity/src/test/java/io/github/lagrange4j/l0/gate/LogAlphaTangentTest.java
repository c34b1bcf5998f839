package io.github.lagrange4j.l0.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function joined to the graph by its tangent at log α has exactly the value given and exactly the slope given
 * as its gradient in log α.
 */
class LogAlphaTangentTest {

    private final Engine engine = Engine.getEngine("PyTorch");
    private NDManager manager;
    private NDArray logAlpha;

    @BeforeEach
    void open() {
        manager = engine.newBaseManager();
        logAlpha = manager.create(new float[] {-4.6f, -0.3f, 0f, 1.7f, 4.6f});
        logAlpha.setRequiresGradient(true);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void anExpandedElementWiseFunctionHasTheGivenValuesAndTheGivenSlopeAsItsGradient() {
        float[] value = {0f, 0.25f, 1f, 0.5f, 1e-7f};
        float[] slope = {0f, 0.3f, 0f, -2.5f, 1e-3f};
        float[] weight = {1f, 2f, 3f, 4f, 5f};
        try (NDManager step = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            LogAlphaTangent tangent = LogAlphaTangent.at(logAlpha);
            assertThat(tangent.values()).containsExactly(logAlpha.toFloatArray());
            NDArray f = tangent.expand(value, slope, step);
            assertThat(f.toFloatArray()).as("the value, bit for bit").containsExactly(value);
            gc.backward(f.mul(step.create(weight)).sum());
        }
        float[] gradient = logAlpha.getGradient().toFloatArray();
        for (int j = 0; j < gradient.length; j++) {
            assertThat(gradient[j]).as("gradient %d", j).isEqualTo(weight[j] * slope[j]);
        }
    }

    @Test
    void anExpandedSumHasTheGivenValueAndTheGivenSlopeAsItsGradient() {
        float[] slope = {0.5f, -1f, 0f, 2f, 0.125f};
        try (NDManager step = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray f = LogAlphaTangent.at(logAlpha).expandSum(1234.5678, slope, step);
            assertThat(f.getShape()).isEqualTo(new Shape());
            assertThat(f.getFloat()).isEqualTo(1234.5678f);
            gc.backward(f);
        }
        assertThat(logAlpha.getGradient().toFloatArray()).containsExactly(slope);
    }

    @Test
    void wrongLengthsAndShapesAreRefusedByName() {
        LogAlphaTangent tangent = LogAlphaTangent.at(logAlpha);
        assertThatThrownBy(() -> tangent.expand(new float[5], new float[4], manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slope must have one entry per gate (5), got 4");
        assertThatThrownBy(() -> tangent.expandSum(0, new float[6], manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one entry per gate");
        assertThatThrownBy(() -> LogAlphaTangent.at(manager.zeros(new Shape(2, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-D float32");
        assertThatThrownBy(() -> LogAlphaTangent.at(manager.zeros(new Shape(3), DataType.FLOAT64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-D float32");
    }
}
