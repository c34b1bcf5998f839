package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import ai.djl.training.dataset.Dataset;

/**
 * One split of (Fashion-)MNIST held as JVM arrays, cut into minibatches on demand.
 *
 * <p>The order of an epoch is a permutation drawn from {@code Random(mix(seed, epoch))}, so it depends only
 * on the seed and the epoch number: a run resumed at epoch {@code e} sees the same batches as one that never
 * stopped. Each batch is created in the manager the caller passes (close it at the end of the step); the
 * images are copied from the JVM, which works the same on every engine.
 *
 * <p>Native memory: the images of a batch are staged in one direct buffer that this object reuses, so a
 * step allocates no new off-heap memory. (A heap {@code float[]} would make PyTorch allocate a fresh
 * direct buffer per batch, freed only when the garbage collector runs: the process then grows by
 * gigabytes over a long run.) Not thread-safe: one batch at a time, closed before the next is made.
 */
public final class MnistBatches {

    private final float[] images;
    private final float[] labels;
    private final int count;
    private final int pixels;
    private final Shape exampleShape;
    private ByteBuffer staging;

    private MnistBatches(float[] images, float[] labels, Shape exampleShape) {
        this.images = images;
        this.labels = labels;
        this.count = labels.length;
        this.pixels = images.length / labels.length;
        this.exampleShape = exampleShape;
    }

    /**
     * Loads one split.
     *
     * @param files the four IDX files
     * @param usage train or test
     * @param normalization the input scaling
     * @param subset the number of leading examples to keep (0 = all)
     * @param exampleShape the shape of one example, e.g. {@code (784)} or {@code (1, 28, 28)}
     * @param manager a manager for the temporary arrays of loading (closed by the caller)
     * @return the batches
     * @throws IOException if a file cannot be read or is corrupt
     */
    public static MnistBatches load(IdxFileSet files, Dataset.Usage usage, Normalization normalization, int subset,
            Shape exampleShape, NDManager manager) throws IOException {
        try (NDManager loading = manager.newSubManager()) {
            MnistDataset.Builder builder = MnistDataset.builder().setFiles(files).setManager(loading)
                    .optUsage(usage).optNormalization(normalization).setSampling(1, false);
            if (subset > 0) {
                builder.optSubset(subset);
            }
            MnistDataset dataset = builder.build();
            dataset.prepare();
            float[] x = dataset.images().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[] y = dataset.labels().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            return new MnistBatches(x, y, exampleShape);
        }
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
     * Creates the arrays of one batch.
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
        int n = to - from;
        int bytes = (n * pixels + n) * Float.BYTES;
        if (staging == null || staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(Math.max(bytes, (batchSize * pixels + batchSize) * Float.BYTES))
                    .order(ByteOrder.nativeOrder());
        }
        FloatBuffer x = staging.clear().limit(n * pixels * Float.BYTES).slice().order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        FloatBuffer y = staging.clear().position(n * pixels * Float.BYTES).limit(bytes).slice()
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            int e = order == null ? from + i : order[from + i];
            x.put(images, e * pixels, pixels);
            y.put(labels[e]);
        }
        long[] dims = new long[exampleShape.dimension() + 1];
        dims[0] = n;
        System.arraycopy(exampleShape.getShape(), 0, dims, 1, exampleShape.dimension());
        ByteBuffer xBytes = staging.clear().limit(n * pixels * Float.BYTES).slice().order(ByteOrder.nativeOrder());
        ByteBuffer yBytes = staging.clear().position(n * pixels * Float.BYTES).limit(bytes).slice()
                .order(ByteOrder.nativeOrder());
        return new NDArray[] {
            manager.create(xBytes, new Shape(dims), ai.djl.ndarray.types.DataType.FLOAT32),
            manager.create(yBytes, new Shape(n), ai.djl.ndarray.types.DataType.FLOAT32)
        };
    }
}
