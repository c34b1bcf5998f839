package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The row gather of {@link MnistBatches#batch} on PyTorch (index_select through the engine's embedding lookup)
 * returns exactly what advanced indexing {@code images.get(index)} returns, for flat and channel-first images,
 * in a shuffled order, for a last partial batch and inside a {@link MnistBatches#range}.
 */
class MnistBatchesTest {

    @Test
    void theRowGatherEqualsAdvancedIndexing() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            NDArray flat = manager.randomNormal(new Shape(50, 784));
            NDArray labels = manager.randomInteger(0, 10, new Shape(50), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray channelFirst = flat.reshape(50, 1, 28, 28);
            MnistBatches split = MnistBatches.of(flat, labels);
            int[] order = split.order(3, 2);
            for (int batch = 0; batch < 4; batch++) { // batch 3 holds the last 5 examples
                try (NDManager step = manager.newSubManager()) {
                    NDArray[] got = split.batch(step, order, batch, 15);
                    NDArray index = step.create(rows(order, 0, batch, 15, 50));
                    assertThat(got[0].getShape()).isEqualTo(new Shape(index.size(), 784));
                    assertThat(got[0].contentEquals(flat.get(index))).isTrue();
                    assertThat(got[1].getShape()).isEqualTo(new Shape(index.size()));
                    assertThat(got[1].contentEquals(labels.get(index))).isTrue();
                }
            }
            MnistBatches images = MnistBatches.of(channelFirst, labels).range(20, 30);
            try (NDManager step = manager.newSubManager()) {
                NDArray[] got = images.batch(step, null, 1, 8);
                NDArray index = step.create(rows(null, 20, 1, 8, 30));
                assertThat(got[0].getShape()).isEqualTo(new Shape(8, 1, 28, 28));
                assertThat(got[0].contentEquals(channelFirst.get(index))).isTrue();
                assertThat(got[1].contentEquals(labels.get(index))).isTrue();
                assertThat(got[1].toFloatArray()).containsExactly(labels.get("28:36").toFloatArray());
            }
        }
    }

    private static long[] rows(int[] order, int offset, int batch, int batchSize, int count) {
        int from = batch * batchSize;
        int to = Math.min(count, from + batchSize);
        long[] rows = new long[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = offset + (order == null ? from + i : order[from + i]);
        }
        return rows;
    }
}
