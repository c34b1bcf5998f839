package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.gate.SharedGateNoise;
import org.junit.jupiter.api.Test;

/**
 * The shards of a data-parallel minibatch train under one gate sample: with {@link SharedGateNoise} a layer's
 * forward passes until the next {@code newSample()} use the noise its first pass drew, and that first pass draws
 * from the engine's random stream exactly what an unshared layer draws (dense layer and convolution).
 */
class SharedGateNoiseTest {

    @Test
    void theShardsOfAMinibatchShareTheSampleThatOneDeviceDraws() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            L0Linear dense = L0Linear.builder().setUnits(3).optDroprate(0.5).build();
            dense.initialize(manager, DataType.FLOAT32, new Shape(4, 6));
            L0Conv2d conv = L0Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)).optDroprate(0.5).build();
            conv.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 6, 6));
            NDArray x = manager.randomNormal(new Shape(4, 6));
            NDArray image = manager.randomNormal(new Shape(2, 1, 6, 6));
            ParameterStore store = new ParameterStore(manager, false);

            engine.setRandomSeed(7);
            NDArray denseAlone = dense.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray convAlone = conv.forward(store, new NDList(image), true).singletonOrThrow();

            SharedGateNoise noise = new SharedGateNoise();
            dense.setSharedNoise(noise);
            conv.setSharedNoise(noise);
            noise.newSample();
            engine.setRandomSeed(7);
            NDArray denseFirst = dense.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray convFirst = conv.forward(store, new NDList(image), true).singletonOrThrow();
            NDArray denseSecond = dense.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray convSecond = conv.forward(store, new NDList(image), true).singletonOrThrow();
            assertThat(denseFirst.toFloatArray()).containsExactly(denseAlone.toFloatArray());
            assertThat(convFirst.toFloatArray()).containsExactly(convAlone.toFloatArray());
            assertThat(denseSecond.toFloatArray()).containsExactly(denseFirst.toFloatArray());
            assertThat(convSecond.toFloatArray()).containsExactly(convFirst.toFloatArray());

            noise.newSample();
            NDArray denseNext = dense.forward(store, new NDList(x), true).singletonOrThrow();
            assertThat(denseNext.toFloatArray()).as("a new minibatch draws anew")
                    .isNotEqualTo(denseFirst.toFloatArray());
        }
    }

    @Test
    void noiseClosedWithItsStepIsDrawnAnewAsWithoutSharing() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            L0Linear dense = L0Linear.builder().setUnits(2).build();
            dense.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore store = new ParameterStore(manager, false);
            float[][] alone = new float[2][];
            for (int step = 0; step < 2; step++) {
                engine.setRandomSeed(20 + step);
                try (NDManager scope = manager.newSubManager()) {
                    alone[step] = dense.forward(store, new NDList(scope.ones(new Shape(1, 4))), true)
                            .singletonOrThrow().toFloatArray();
                }
            }
            SharedGateNoise noise = new SharedGateNoise();
            dense.setSharedNoise(noise);
            noise.newSample();
            for (int step = 0; step < 2; step++) {
                engine.setRandomSeed(20 + step);
                try (NDManager scope = manager.newSubManager()) {
                    float[] shared = dense.forward(store, new NDList(scope.ones(new Shape(1, 4))), true)
                            .singletonOrThrow().toFloatArray();
                    assertThat(shared).as("step " + step).containsExactly(alone[step]);
                }
            }
            assertThat(alone[1]).isNotEqualTo(alone[0]);
        }
    }
}
