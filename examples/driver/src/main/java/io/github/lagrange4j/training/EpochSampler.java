package io.github.lagrange4j.training;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.RandomAccess;

/**
 * A DJL {@link Sampler} whose order is a pure function of (seed, epoch): the minibatches of one epoch of a run.
 *
 * <p>The order of epoch {@code e} is the Fisher–Yates permutation of {@code 0 .. size-1} drawn from {@code
 * new Random(Seeds.mix(seed, e, -1))} (for {@code i = size-1 .. 1}: swap {@code i} with {@code nextInt(i + 1)}),
 * cut into consecutive batches of {@code batchSize}, the last one smaller. A run resumed at epoch {@code e}
 * therefore sees exactly the batches an uninterrupted run sees, and checkpoints written before this class existed
 * (when the permutation lived in {@link MnistBatches#order}) resume bit for bit. {@link #sequential(int)} gives
 * the natural order (evaluation).
 *
 * <p>Each batch is a {@link List} of {@code Long} as DJL's {@code Sampler} contract asks, but a view over the
 * epoch's {@code int[]} order: {@link MnistBatches} reads the rows through {@link #rowsOf} without boxing one
 * {@code Long} per example; any other dataset sees an ordinary list. The permutation is drawn once per call of
 * {@link #sample}, i.e. once per epoch.
 */
public final class EpochSampler implements Sampler {

    private final long seed;
    private final int epoch;
    private final int batchSize;
    private final boolean shuffle;

    private EpochSampler(long seed, int epoch, int batchSize, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.seed = seed;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
    }

    /**
     * Returns the sampler of one training epoch.
     *
     * @param seed the run's seed
     * @param epoch the 1-based epoch
     * @param batchSize the batch size, {@code >= 1}
     * @return the sampler, shuffled by (seed, epoch)
     */
    public static EpochSampler shuffled(long seed, int epoch, int batchSize) {
        return new EpochSampler(seed, epoch, batchSize, true);
    }

    /**
     * Returns a sampler of the natural order (no shuffling).
     *
     * @param batchSize the batch size, {@code >= 1}
     * @return the sampler
     */
    public static EpochSampler sequential(int batchSize) {
        return new EpochSampler(0, 0, batchSize, false);
    }

    /**
     * Returns the example order of an epoch: a permutation that depends only on (seed, epoch).
     *
     * @param size the number of examples, {@code >= 0}
     * @param seed the run's seed
     * @param epoch the 1-based epoch
     * @return a permutation of {@code 0 .. size-1}
     */
    public static int[] order(int size, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Random random = new Random(Seeds.mix(seed, epoch, -1));
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Returns the batches of one pass over {@code dataset}.
     *
     * @param dataset the dataset (its {@code size()} is the number of examples)
     * @return one list of indices per batch, {@code ceil(size / batchSize)} of them
     */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int size = Math.toIntExact(dataset.size());
        int[] order = shuffle ? order(size, seed, epoch) : null;
        return new Iterator<>() {
            private int from;

            @Override
            public boolean hasNext() {
                return from < size;
            }

            @Override
            public List<Long> next() {
                if (from >= size) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(size, from + batchSize);
                Indices batch = new Indices(order, from, to);
                from = to;
                return batch;
            }
        };
    }

    /**
     * Returns the batch size.
     *
     * @return the batch size
     */
    @Override
    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Copies a batch's indices into {@code rows}, each plus {@code offset}, without boxing when the batch comes
     * from an {@code EpochSampler}.
     *
     * @param batch the batch's indices
     * @param offset added to every index (a split's first row)
     * @return the rows
     */
    static long[] rowsOf(List<Long> batch, int offset) {
        long[] rows = new long[batch.size()];
        if (batch instanceof Indices view) {
            for (int i = 0; i < rows.length; i++) {
                rows[i] = offset + view.index(i);
            }
        } else {
            for (int i = 0; i < rows.length; i++) {
                rows[i] = offset + batch.get(i);
            }
        }
        return rows;
    }

    /** The indices of one batch: {@code order[from .. to)}, or {@code from .. to} for the natural order. */
    private static final class Indices extends AbstractList<Long> implements RandomAccess {

        private final int[] order;
        private final int from;
        private final int size;

        Indices(int[] order, int from, int to) {
            this.order = order;
            this.from = from;
            this.size = to - from;
        }

        int index(int i) {
            return order == null ? from + i : order[from + i];
        }

        @Override
        public Long get(int i) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("index " + i + " of a batch of " + size);
            }
            return (long) index(i);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
