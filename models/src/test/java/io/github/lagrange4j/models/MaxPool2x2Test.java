package io.github.lagrange4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The forward-only 2×2 max-pooling gives DJL's {@code maxPool2d} bit for bit; with a gradient it is that pooling. */
class MaxPool2x2Test {

    private static final Shape WINDOW = new Shape(2, 2);

    private static NDArray reference(NDArray x) {
        return Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false);
    }

    @Test
    void forwardOnlyPoolingEqualsMaxPool2dBitForBitWithTiesZerosAndNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // small integers after a ReLU: many windows with tied maxima, many all-zero windows (as after LeNet's ReLU)
            NDArray x = manager.randomInteger(-3, 4, new Shape(7, 5, 24, 24), DataType.INT32)
                    .toType(DataType.FLOAT32, false).maximum(0f);
            float[] values = x.toFloatArray();
            values[13] = Float.NaN;
            values[values.length - 1] = Float.NaN;
            NDArray input = manager.create(values, x.getShape());
            assertThat(input.hasGradient()).isFalse();

            float[] fast = MaxPool2x2.pool(input).toFloatArray();
            float[] slow = reference(input).toFloatArray();

            assertThat(fast).hasSize(7 * 5 * 12 * 12);
            for (int i = 0; i < fast.length; i++) {
                if (Float.isNaN(slow[i])) {
                    // a NaN stays a NaN (its payload bits may differ: both are quiet NaNs)
                    assertThat(fast[i]).as("element %d", i).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(fast[i])).as("element %d", i)
                            .isEqualTo(Float.floatToRawIntBits(slow[i]));
                }
            }
            assertThat(fast[6]).as("the window of input element 13").isNaN();
        }
    }

    @Test
    void leNetSecondPoolingShapeAndValuesMatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 50, 8, 8));
            NDArray fast = MaxPool2x2.pool(x);
            assertThat(fast.getShape()).isEqualTo(new Shape(3, 50, 4, 4));
            assertThat(fast.contentEquals(reference(x))).isTrue();
        }
    }

    @Test
    void withAGradientThePoolingAndItsGradientAreMaxPool2ds() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 6, 6));
            NDArray weights = manager.randomNormal(new Shape(2, 3, 3, 3));
            NDArray a = x.duplicate();
            NDArray b = x.duplicate();
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pooled = MaxPool2x2.pool(a);
                assertThat(pooled.contentEquals(reference(x))).isTrue();
                gc.backward(pooled.mul(weights).sum());
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(reference(b).mul(weights).sum());
            }
            assertThat(a.getGradient().contentEquals(b.getGradient())).isTrue();
            // exactly one element of every window receives the window's weight
            assertThat(a.getGradient().neq(0f).sum().getLong()).isEqualTo(2 * 3 * 3 * 3);
        }
    }

    @Test
    void oddSizesFallBackToMaxPool2dFlooring() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1, 2, 5, 7));
            NDArray pooled = MaxPool2x2.pool(x);
            assertThat(pooled.getShape()).isEqualTo(new Shape(1, 2, 2, 3));
            assertThat(pooled.contentEquals(reference(x))).isTrue();
        }
    }
}
