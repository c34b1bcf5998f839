package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The seeded DJL sampler of the training loop draws exactly the epoch orders the driver drew before it existed
 * (so checkpoints written then resume bit for bit): golden values computed independently (java.util.Random's
 * LCG and the SplitMix64 finaliser of {@link Seeds#mix} re-implemented in Python), and the whole permutation
 * equal to the former {@code MnistBatches.order} loop (kept here as the reference) for several (seed, epoch)
 * pairs. Its batches cut that order in consecutive pieces, and {@link MnistBatches} iterated with it as a DJL
 * dataset yields the rows of {@link MnistBatches#batch}.
 */
class EpochSamplerTest {

    /** The former {@code MnistBatches.order(seed, epoch)}, verbatim but for the size parameter. */
    private static int[] formerOrder(int count, long seed, int epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random random = new Random(Seeds.mix(seed, epoch, -1));
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Test
    void theOrderIsTheFormerOneGoldenValuesIncluded() {
        assertThat(EpochSampler.order(60_000, 1, 1)).startsWith(44999, 926, 28945, 57636, 34631, 57512, 45739, 39003)
                .endsWith(8736, 58056, 9625);
        assertThat(EpochSampler.order(600, 7, 2)).startsWith(389, 598, 582, 333, 20, 473, 274, 314)
                .endsWith(169, 539, 75);
        assertThat(EpochSampler.order(1000, 42, 200)).startsWith(302, 718, 111, 436, 423, 598, 524, 119)
                .endsWith(285, 646, 382);
        assertThat(EpochSampler.order(10, 3, 5)).containsExactly(1, 3, 2, 0, 8, 9, 5, 6, 7, 4);
        for (long seed : new long[] {0, 1, 7, -3, 1L << 40}) {
            for (int epoch : new int[] {1, 2, 13, 200}) {
                assertThat(EpochSampler.order(60_000, seed, epoch)).as("seed %d epoch %d", seed, epoch)
                        .containsExactly(formerOrder(60_000, seed, epoch));
            }
        }
    }

    @Test
    void theBatchesCutTheOrderInConsecutivePiecesTheLastOneSmaller() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            MnistBatches split = split(manager, 50);
            List<Long> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            Iterator<List<Long>> batches = EpochSampler.shuffled(7, 3, 15).sample(split);
            while (batches.hasNext()) {
                List<Long> batch = batches.next();
                sizes.add(batch.size());
                seen.addAll(batch);
            }
            assertThat(sizes).containsExactly(15, 15, 15, 5);
            assertThat(seen.stream().mapToInt(Long::intValue).toArray()).containsExactly(formerOrder(50, 7, 3));
            assertThat(split.order(7, 3)).containsExactly(formerOrder(50, 7, 3));

            List<Long> natural = EpochSampler.sequential(20).sample(split).next();
            assertThat(natural).hasSize(20).first().isEqualTo(0L);
            assertThat(EpochSampler.rowsOf(natural, 5)).startsWith(5, 6, 7).endsWith(24);
            assertThat(EpochSampler.rowsOf(List.of(3L, 1L), 10)).containsExactly(13, 11);
            assertThatThrownBy(() -> EpochSampler.sequential(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batchSize must be >= 1, got 0");
        }
    }

    @Test
    void theDatasetIteratedWithTheSamplerYieldsTheRowsOfBatch() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            MnistBatches split = split(manager, 50).range(10, 37);
            int[] order = split.order(11, 4);
            int step = 0;
            for (Batch batch : split.getData(manager, EpochSampler.shuffled(11, 4, 8), null)) {
                try (batch; NDManager reference = manager.newSubManager()) {
                    NDArray[] expected = split.batch(reference, order, step, 8);
                    assertThat(batch.getSize()).isEqualTo(step < 4 ? 8 : 5);
                    assertThat(batch.getData().head().contentEquals(expected[0])).isTrue();
                    assertThat(batch.getLabels().head().contentEquals(expected[1])).isTrue();
                    assertThat(batch.getManager().getParentManager()).isSameAs(manager);
                }
                step++;
            }
            assertThat(step).isEqualTo(5);
            try (Batch byIndices = split.getByIndices(manager, 0, 36);
                    NDManager reference = manager.newSubManager()) {
                NDArray[] expected = split.batch(reference, new int[] {0, 36}, 0, 2);
                assertThat(byIndices.getData().head().contentEquals(expected[0])).isTrue();
            }
            assertThat(split.size()).isEqualTo(37);
            assertThatThrownBy(() -> split.getByIndices(manager, 37)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("index 37 is not inside a split of 37");
        }
    }

    private static MnistBatches split(NDManager manager, int n) {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        NDArray images = manager.randomNormal(new Shape(n, 784));
        NDArray labels = manager.arange(n).toType(DataType.FLOAT32, false);
        return MnistBatches.of(images, labels);
    }
}
