package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.Batchifier;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.ImageLayout;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * One split of (Fashion-)MNIST held as two engine arrays: a DJL {@link ArrayDataset} (data: the images,
 * labels: the labels) whose batches are gathered inside the engine by row index.
 *
 * <p>Iterate it the DJL way, {@code getData(manager, sampler)}, with an {@link EpochSampler}: the order of an
 * epoch is a permutation drawn from {@code Random(mix(seed, epoch))}, so it depends only on the seed and the
 * epoch number and a run resumed at epoch {@code e} sees the same batches as one that never stopped. Each
 * {@link Batch} owns a sub-manager of the manager passed to {@code getData} that holds the batch's arrays and
 * everything the step computes from them; close the batch at the end of the step. The iteration runs on the
 * caller's thread (an executor passed to {@code getData} is not used: the gather is one engine call, and the
 * gate noise of a step must be drawn after the previous step in the engine's seeded stream). {@link
 * #getByIndices} and {@link #batch} gather the same way.
 *
 * <p>On PyTorch the rows are gathered with one row-copying {@code index_select} (the engine's embedding
 * lookup on 2-D views of the two arrays): the same values as {@code images.get(index)}, whose element-wise
 * advanced indexing took about 2.4x the CPU time for a batch of 128 MNIST rows.
 *
 * <p>Native memory: the split is copied into the engine once. (Building each batch from a JVM array made
 * PyTorch allocate a fresh direct buffer per step; the process then grew by hundreds of megabytes per
 * epoch.) The two arrays belong to the manager given to {@link #load}.
 */
public final class MnistBatches extends ArrayDataset {

    private final NDArray images;
    private final NDArray labels;
    /** 2-D views {@code (N, pixels)} and {@code (N, 1)} of the two arrays for the row gather, or null. */
    private final NDArray imageRows;
    private final NDArray labelRows;
    private final int offset;
    private final int count;

    private MnistBatches(NDArray images, NDArray labels, NDArray imageRows, NDArray labelRows, int offset,
            int count) {
        super(new ArrayDataset.Builder().setData(images).optLabels(labels).setSampling(EpochSampler.sequential(1)));
        this.images = images;
        this.labels = labels;
        this.imageRows = imageRows;
        this.labelRows = labelRows;
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
        return new MnistBatches(images, labels, imageRows, labelRows, offset + from, size);
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
        boolean rowGather = "PyTorch".equals(images.getManager().getEngine().getEngineName());
        // views (no copy) in the arrays' own manager, closed with them
        return new MnistBatches(images, labels, rowGather ? images.reshape(images.getShape().get(0), -1) : null,
                rowGather ? labels.reshape(labels.getShape().get(0), 1) : null, 0, Math.toIntExact(labels.size()));
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
        return of(dataset.images(), dataset.labels());
    }

    /**
     * Returns the number of examples ({@link #size()} as an {@code int}).
     *
     * @return the size of the split
     */
    public int examples() {
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
     * @return a permutation of {@code 0 .. size-1}, {@link EpochSampler#order}
     */
    public int[] order(long seed, int epoch) {
        return EpochSampler.order(count, seed, epoch);
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
        return gather(manager, rows);
    }

    /**
     * Gathers rows of the underlying arrays (PyTorch: one {@code index_select} each).
     *
     * @param manager the manager that owns the two arrays
     * @param rows the rows of the underlying arrays (offset included)
     * @return {@code [images (B, ...exampleShape), labels (B)]}
     */
    private NDArray[] gather(NDManager manager, long[] rows) {
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

    /**
     * Returns one example (index relative to this split).
     *
     * @param manager the manager of the record's arrays
     * @param index the 0-based example
     * @return the record
     */
    @Override
    public Record get(NDManager manager, long index) {
        checkIndex(index);
        return super.get(manager, offset + index);
    }

    /**
     * Gathers a batch by index (relative to this split), as {@link #batch} does.
     *
     * @param manager the manager that will own the batch
     * @param indices the 0-based examples
     * @return the batch
     */
    @Override
    public Batch getByIndices(NDManager manager, long... indices) {
        long[] rows = new long[indices.length];
        for (int i = 0; i < rows.length; i++) {
            checkIndex(indices[i]);
            rows[i] = offset + indices[i];
        }
        NDArray[] xy = gather(manager, rows);
        return new Batch(manager, new NDList(xy[0]), new NDList(xy[1]), rows.length, Batchifier.STACK,
                Batchifier.STACK, -1, -1);
    }

    /**
     * Returns the consecutive examples {@code [fromIndex, toIndex)} of this split.
     *
     * @param manager the manager that will own the batch
     * @param fromIndex the first example, 0-based
     * @param toIndex one past the last example
     * @return the batch
     */
    @Override
    public Batch getByRange(NDManager manager, long fromIndex, long toIndex) {
        if (fromIndex < 0 || fromIndex >= toIndex || toIndex > count) {
            throw new IllegalArgumentException("range [" + fromIndex + ", " + toIndex + ") is not inside a split of "
                    + count);
        }
        return super.getByRange(manager, offset + fromIndex, offset + toIndex);
    }

    /**
     * Iterates the batches {@code sampler} draws, each gathered into its own sub-manager of {@code manager}
     * (closed by {@link Batch#close()}), on the calling thread.
     *
     * @param manager the parent of the batches' managers
     * @param sampler the sampler, e.g. {@link EpochSampler#shuffled}
     * @param executorService not used
     * @return the batches, in the sampler's order
     */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executorService) {
        return () -> new Iterator<>() {
            private final Iterator<List<Long>> batches = sampler.sample(MnistBatches.this);
            private long done;

            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public Batch next() {
                List<Long> indices = batches.next();
                NDManager batchManager = manager.newSubManager();
                try {
                    NDArray[] xy = gather(batchManager, EpochSampler.rowsOf(indices, offset));
                    done += indices.size();
                    return new Batch(batchManager, new NDList(xy[0]), new NDList(xy[1]), indices.size(),
                            Batchifier.STACK, Batchifier.STACK, done, count, indices);
                } catch (RuntimeException e) {
                    batchManager.close();
                    throw e;
                }
            }
        };
    }

    @Override
    protected long availableSize() {
        return count;
    }

    private void checkIndex(long index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " is not inside a split of " + count);
        }
    }
}
