package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.ImageLayout;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;
import java.util.Random;

/**
 * One split of (Fashion-)MNIST held as two engine arrays, cut into minibatches on demand.
 *
 * <p>The order of an epoch is a permutation drawn from {@code Random(mix(seed, epoch))}, so it depends only
 * on the seed and the epoch number: a run resumed at epoch {@code e} sees the same batches as one that never
 * stopped. A batch is gathered inside the engine by row index ({@code images.get(index)}) into the manager
 * the caller passes (close it at the end of the step).
 *
 * <p>On PyTorch the rows are gathered with one row-copying {@code index_select} (the engine's embedding
 * lookup on 2-D views of the two arrays): the same values as {@code images.get(index)}, whose element-wise
 * advanced indexing took about 2.4x the CPU time for a batch of 128 MNIST rows.
 *
 * <p>Native memory: the split is copied into the engine once. (Building each batch from a JVM array made
 * PyTorch allocate a fresh direct buffer per step; the process then grew by hundreds of megabytes per
 * epoch.) The two arrays belong to the manager given to {@link #load}.
 */
public final class MnistBatches {

    private final NDArray images;
    private final NDArray labels;
    /** 2-D views {@code (N, pixels)} and {@code (N, 1)} of the two arrays for the row gather, or null. */
    private final NDArray imageRows;
    private final NDArray labelRows;
    private final int offset;
    private final int count;

    private MnistBatches(NDArray images, NDArray labels) {
        this.images = images;
        this.labels = labels;
        boolean rowGather = "PyTorch".equals(images.getManager().getEngine().getEngineName());
        // views (no copy) in the arrays' own manager, closed with them
        this.imageRows = rowGather ? images.reshape(images.getShape().get(0), -1) : null;
        this.labelRows = rowGather ? labels.reshape(labels.getShape().get(0), 1) : null;
        this.offset = 0;
        this.count = Math.toIntExact(labels.size());
    }

    private MnistBatches(MnistBatches whole, int offset, int count) {
        this.images = whole.images;
        this.labels = whole.labels;
        this.imageRows = whole.imageRows;
        this.labelRows = whole.labelRows;
        this.offset = offset;
        this.count = count;
    }

    /**
     * Returns a contiguous part of this split that shares its arrays (e.g. a validation split carved from
     * the end of the training set); close nothing extra.
     *
     * @param from the first example, 0-based
     * @param size the number of examples
     * @return the part
     */
    public MnistBatches range(int from, int size) {
        if (from < 0 || size < 1 || from + size > count) {
            throw new IllegalArgumentException("range [" + from + ", " + from + " + " + size
                    + ") is not inside a split of " + count);
        }
        return new MnistBatches(this, offset + from, size);
    }

    /**
     * Wraps two arrays already in the engine (owned by the caller, who closes them after this object's last
     * use).
     *
     * @param images the images {@code (N, ...exampleShape)}
     * @param labels the labels {@code (N)}
     * @return the batches
     */
    static MnistBatches of(NDArray images, NDArray labels) {
        return new MnistBatches(images, labels);
    }

    /**
     * Loads one split into {@code manager}.
     *
     * @param files the four IDX files
     * @param usage train or test
     * @param normalization the input scaling
     * @param subset the number of leading examples to keep (0 = all)
     * @param exampleShape the shape of one example, e.g. {@code (784)} or {@code (1, 28, 28)}
     * @param manager the manager that will own the split's two arrays
     * @return the batches
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static MnistBatches load(IdxFileSet files, Dataset.Usage usage, Normalization normalization, int subset,
            Shape exampleShape, NDManager manager) throws IOException {
        ImageLayout layout = exampleShape.dimension() == 1 ? ImageLayout.FLAT : ImageLayout.CHANNEL_FIRST;
        MnistDataset.Builder builder = MnistDataset.builder().setFiles(files).setManager(manager)
                .optUsage(usage).optNormalization(normalization).optLayout(layout).setSampling(1, false);
        if (subset > 0) {
            builder.optSubset(subset);
        }
        MnistDataset dataset = builder.build();
        dataset.prepare();
        // Use the data set's own arrays: on PyTorch they share memory with the buffer they were created
        // from, which only they keep alive (a same-type toType/reshape would be an alias, not a copy).
        return new MnistBatches(dataset.images(), dataset.labels());
    }

    /**
     * Returns the number of examples.
     *
     * @return the size of the split
     */
    public int size() {
        return count;
    }

    /**
     * Returns the number of batches of an epoch (the last one may be smaller).
     *
     * @param batchSize the batch size
     * @return {@code ceil(size / batchSize)}
     */
    public int batches(int batchSize) {
        return (count + batchSize - 1) / batchSize;
    }

    /**
     * Returns the example order of an epoch: a permutation that depends only on (seed, epoch).
     *
     * @param seed the run's seed
     * @param epoch the 1-based epoch
     * @return a permutation of {@code 0 .. size-1}
     */
    public int[] order(long seed, int epoch) {
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

    /**
     * Gathers the arrays of one batch.
     *
     * @param manager the manager that owns the two arrays (the step's)
     * @param order the epoch order, or null for the natural order
     * @param batch the 0-based batch index
     * @param batchSize the batch size
     * @return {@code [images (B, ...exampleShape), labels (B)]}
     */
    public NDArray[] batch(NDManager manager, int[] order, int batch, int batchSize) {
        int from = batch * batchSize;
        int to = Math.min(count, from + batchSize);
        if (from >= to) {
            throw new IllegalArgumentException("batch " + batch + " is past the end of a split of " + count);
        }
        long[] rows = new long[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = offset + (order == null ? from + i : order[from + i]);
        }
        NDArray index = manager.create(rows);
        NDArray x;
        NDArray y;
        if (imageRows != null) {
            Shape example = images.getShape().slice(1);
            x = index.getNDArrayInternal().embedding(index, imageRows, SparseFormat.DENSE).singletonOrThrow();
            if (example.dimension() != 1) {
                x = x.reshape(new Shape(rows.length).addAll(example));
            }
            y = index.getNDArrayInternal().embedding(index, labelRows, SparseFormat.DENSE).singletonOrThrow()
                    .reshape(rows.length);
        } else {
            x = images.get(index);
            y = labels.get(index);
        }
        x.attach(manager);
        y.attach(manager);
        return new NDArray[] {x, y};
    }
}
