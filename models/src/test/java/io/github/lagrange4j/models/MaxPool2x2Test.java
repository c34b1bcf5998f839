package io.github.lagrange4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5's pooling block is DJL's {@code maxPool2d}: in inference its strided form gives the same numbers bit for
 * bit, in training it is that pooling with its gradient, and it saves exactly what {@code Pool.maxPool2dBlock}
 * saves.
 */
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

            float[] fast = MaxPool2x2.forwardOnly(input).toFloatArray();
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
    void inInferenceTheBlockGivesMaxPool2dsNumbers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 50, 8, 8));
            Block block = MaxPool2x2.block();
            block.initialize(manager, DataType.FLOAT32, x.getShape());
            NDArray pooled = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertThat(pooled.getShape()).isEqualTo(new Shape(3, 50, 4, 4)).isEqualTo(block.getOutputShapes(new Shape[] {x.getShape()})[0]);
            assertThat(pooled.contentEquals(reference(x))).isTrue();
        }
    }

    @Test
    void inTrainingTheBlockIsMaxPool2dWithItsGradientTiesIncluded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // small integers: many tied maxima; max_pool2d sends a window's gradient to its first maximum only.
            // The input is an intermediate result (not a leaf), as after LeNet's convolution and ReLU.
            NDArray x = manager.randomInteger(-2, 3, new Shape(6, 4, 8, 12), DataType.INT32).toType(DataType.FLOAT32, false);
            Function<NDArray, NDArray> block = trainingBlock(manager, x.getShape());
            float[][] viaBlock = outputAndGradient(x, y -> block.apply(Activation.relu(y)));
            float[][] viaPool = outputAndGradient(x, y -> reference(Activation.relu(y)));
            assertThat(viaBlock[0]).containsExactly(viaPool[0]);
            assertThat(viaBlock[1]).containsExactly(viaPool[1]);
        }
    }

    /**
     * LeNet-5 pools before its ReLUs: the same output and gradient as ReLU then pooling, bit for bit, with tied
     * maxima, all-negative windows and windows whose maximum is exactly 0.
     */
    @Test
    void poolingBeforeTheReluGivesReluThenPoolingsOutputAndGradientBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomInteger(-3, 3, new Shape(8, 5, 12, 12), DataType.INT32).toType(DataType.FLOAT32, false);
            Function<NDArray, NDArray> block = trainingBlock(manager, x.getShape());
            float[][] poolFirst = outputAndGradient(x, y -> Activation.relu(block.apply(y)));
            float[][] reluFirst = outputAndGradient(x, y -> block.apply(Activation.relu(y)));
            assertThat(reluFirst[0]).as("some windows pool to 0").contains(0f);
            assertThat(poolFirst[0]).containsExactly(reluFirst[0]);
            assertThat(reluFirst[1]).as("gradient reaches the scales").doesNotContain(0f);
            assertThat(poolFirst[1]).containsExactly(reluFirst[1]);
        }
    }

    /** The pooling block in training mode, initialised for {@code shape}, as a function. */
    private static Function<NDArray, NDArray> trainingBlock(NDManager manager, Shape shape) {
        Block block = MaxPool2x2.block();
        block.initialize(manager, DataType.FLOAT32, shape);
        ParameterStore store = new ParameterStore(manager, false);
        return y -> block.forward(store, new NDList(y), true).singletonOrThrow();
    }

    /**
     * Runs {@code f} on {@code x} scaled per channel by ones that require a gradient (so the input is an
     * intermediate result, as inside a network) and returns the output and the gradient of a fixed random
     * weighting of it with respect to the scales.
     */
    private static float[][] outputAndGradient(NDArray x, Function<NDArray, NDArray> f) {
        NDManager manager = x.getManager();
        Engine.getInstance().setRandomSeed(3);
        NDArray scale = manager.ones(new Shape(1, x.getShape().get(1), 1, 1));
        scale.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x.mul(scale));
            NDArray weights = manager.randomNormal(y.getShape());
            gc.backward(y.mul(weights).sum());
            return new float[][] {y.toFloatArray(), scale.getGradient().toFloatArray()};
        }
    }

    @Test
    void oddSizesFallBackToMaxPool2dFlooring() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1, 2, 5, 7));
            NDArray pooled = MaxPool2x2.forwardOnly(x);
            assertThat(pooled.getShape()).isEqualTo(new Shape(1, 2, 2, 3));
            assertThat(pooled.contentEquals(reference(x))).isTrue();
        }
    }

    @Test
    void leNetSavesTheSameBytesAsWithDjlsPoolingBlock() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            SequentialBlock ours = LeNet5.dense();
            ours.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Engine.getInstance().setRandomSeed(1);
            SequentialBlock djls = new SequentialBlock();
            for (Block child : ours.getChildren().values()) {
                djls.add(child instanceof MaxPool2x2 ? Pool.maxPool2dBlock(WINDOW, WINDOW) : child);
            }
            djls.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(save(djls)).isEqualTo(save(ours));
        }
    }

    private static byte[] save(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
