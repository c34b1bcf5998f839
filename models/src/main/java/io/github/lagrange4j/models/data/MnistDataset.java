package io.github.lagrange4j.models.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import ai.djl.util.Progress;
import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One split of MNIST or Fashion-MNIST as a DJL {@link ArrayDataset}: images as float32 (normalised,
 * flat or channel-first) and class labels as float32 scalars.
 *
 * <p>Loading reads each IDX file once into a Java array, converts the selected images with a 256-entry
 * lookup table ({@link Normalization#lookupTable()}) into one {@code float[]}, and creates a single
 * {@link NDArray} for the images and one for the labels; batches are slices of those arrays.
 *
 * <p>Order of calls: {@code builder()}, {@code setFiles}, {@code setManager}, {@code setSampling}, the
 * {@code opt*} settings, {@code build()}; then {@link #prepare(Progress)} (done on first use if
 * omitted) and {@code getData(manager)}. The two arrays belong to the manager given to
 * {@link Builder#setManager(NDManager)}: they are freed when that manager is closed, after which the
 * data set must not be used.
 *
 * <p>Size: about 340 lines because its {@link Builder} (files, usage, subset, normalization, layout, each
 * validated) is nested, as DJL nests the builders of its data sets.
 */
public final class MnistDataset extends ArrayDataset {

    private final IdxFileSet files;
    private final Dataset.Usage usage;
    private final Normalization normalization;
    private final ImageLayout layout;
    private final int subsetSize;
    private final Long subsetSeed;
    private final NDManager manager;
    private int rows;
    private int columns;
    private boolean prepared;

    private MnistDataset(Builder builder) {
        super(builder);
        this.files = Objects.requireNonNull(builder.files, "files must be set with setFiles(IdxFileSet)");
        this.manager = Objects.requireNonNull(builder.manager, "manager must be set with setManager(NDManager)");
        this.usage = builder.usage;
        this.normalization = builder.normalization;
        this.layout = builder.layout;
        this.subsetSize = builder.subsetSize;
        this.subsetSeed = builder.subsetSeed;
    }

    /**
     * Returns a builder with the defaults: training split, {@link Normalization#UNIT_INTERVAL},
     * {@link ImageLayout#FLAT}, all images.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the IDX files of the split and creates the image and label arrays; does nothing if already
     * prepared. Same as {@code prepare(null)}, without DJL's {@code TranslateException}.
     *
     * @throws DataFileException if a file is missing or malformed, or images and labels differ in count
     * @throws IllegalArgumentException if the subset size exceeds the split's size
     * @throws IOException if a file cannot be read
     */
    @Override
    public void prepare() throws IOException {
        prepare(null);
    }

    /**
     * Reads the IDX files of the split and creates the image and label arrays; does nothing if already
     * prepared.
     *
     * @param progress ignored (loading takes well under a second)
     * @throws DataFileException if a file is missing or malformed, or images and labels differ in count
     * @throws IllegalArgumentException if the subset size exceeds the split's size
     * @throws IOException if a file cannot be read
     */
    @Override
    public synchronized void prepare(Progress progress) throws IOException {
        if (prepared) {
            return;
        }
        IdxImages images = IdxReader.readImages(files.images(usage));
        IdxLabels labelBytes = IdxReader.readLabels(files.labels(usage));
        if (images.count() != labelBytes.count()) {
            throw new DataFileException(files.labels(usage), Fault.COUNT_MISMATCH, String.format(
                    "image/label count mismatch: %d labels, but the images file %s holds %d images",
                    labelBytes.count(), files.images(usage), images.count()));
        }
        int[] selected = select(images.count());
        int perImage = images.pixelsPerImage();
        float[] table = normalization.lookupTable();
        float[] x = new float[selected.length * perImage];
        float[] y = new float[selected.length];
        byte[] pixels = images.pixels();
        for (int i = 0; i < selected.length; i++) {
            int source = selected[i] * perImage;
            int target = i * perImage;
            for (int p = 0; p < perImage; p++) {
                x[target + p] = table[pixels[source + p] & 0xFF];
            }
            y[i] = labelBytes.label(selected[i]);
        }
        rows = images.rows();
        columns = images.columns();
        data = new NDArray[] {manager.create(x, layout.stackShape(selected.length, rows, columns))};
        labels = new NDArray[] {manager.create(y, new Shape(selected.length))};
        prepared = true;
    }

    private int[] select(int available) {
        if (subsetSize == 0) {
            return IntStream.range(0, available).toArray();
        }
        if (subsetSize > available) {
            throw new IllegalArgumentException(String.format(
                    "subset must be in [1, %d] (the size of the %s split of %s), got %d",
                    available, usage, files.name(), subsetSize));
        }
        if (subsetSeed == null) {
            return IntStream.range(0, subsetSize).toArray();
        }
        int[] indices = IntStream.range(0, available).toArray();
        Random random = new Random(subsetSeed);
        for (int i = 0; i < subsetSize; i++) {
            int j = i + random.nextInt(available - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indices, subsetSize);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Returns the number of examples, preparing the data set first if needed.
     *
     * @return the number of examples in this split (after the subset)
     * @throws UncheckedIOException if preparing fails
     */
    @Override
    protected long availableSize() {
        try {
            prepare(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return data[0].size(0);
    }

    /**
     * Returns the image array: shape {@code (n, rows·columns)} or {@code (n, 1, rows, columns)}.
     *
     * @return the images, owned by the data set's manager
     * @throws IllegalStateException if not yet prepared
     */
    public NDArray images() {
        requirePrepared();
        return data[0];
    }

    /**
     * Returns the label array: shape {@code (n)}, float32 class indices.
     *
     * @return the labels, owned by the data set's manager
     * @throws IllegalStateException if not yet prepared
     */
    public NDArray labels() {
        requirePrepared();
        return labels[0];
    }

    /**
     * Returns the image height in pixels.
     *
     * @return the rows (28 for MNIST)
     * @throws IllegalStateException if not yet prepared
     */
    public int imageRows() {
        requirePrepared();
        return rows;
    }

    /**
     * Returns the image width in pixels.
     *
     * @return the columns (28 for MNIST)
     * @throws IllegalStateException if not yet prepared
     */
    public int imageColumns() {
        requirePrepared();
        return columns;
    }

    /**
     * Returns the split this data set holds.
     *
     * @return {@code TRAIN} or {@code TEST}
     */
    public Dataset.Usage usage() {
        return usage;
    }

    private void requirePrepared() {
        if (!prepared) {
            throw new IllegalStateException("call prepare() before reading the arrays of " + files.name());
        }
    }

    /** Builds an {@link MnistDataset}: {@code setX} are required, {@code optX} optional. */
    public static final class Builder extends BaseBuilder<Builder> {

        private IdxFileSet files;
        private NDManager manager;
        private Dataset.Usage usage = Dataset.Usage.TRAIN;
        private Normalization normalization = Normalization.UNIT_INTERVAL;
        private ImageLayout layout = ImageLayout.FLAT;
        private int subsetSize;
        private Long subsetSeed;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the IDX files to read (required).
         *
         * @param files e.g. {@link IdxFileSet#mnist(java.nio.file.Path)}
         * @return this builder
         */
        public Builder setFiles(IdxFileSet files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        /**
         * Sets the manager that will own the image and label arrays (required).
         *
         * @param manager the manager; closing it frees the data
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /**
         * Sets the split (default {@code TRAIN}).
         *
         * @param usage {@code TRAIN} or {@code TEST}
         * @return this builder
         * @throws IllegalArgumentException for {@code VALIDATION}
         */
        public Builder optUsage(Dataset.Usage usage) {
            this.usage = IdxFileSet.requireTrainOrTest(usage);
            return this;
        }

        /**
         * Sets the pixel normalisation (default {@link Normalization#UNIT_INTERVAL}).
         *
         * @param normalization the normalisation
         * @return this builder
         */
        public Builder optNormalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /**
         * Sets the image layout (default {@link ImageLayout#FLAT}).
         *
         * @param layout the layout
         * @return this builder
         */
        public Builder optLayout(ImageLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * Keeps only the first {@code size} examples of the split (default: all).
         *
         * @param size the number of examples, in [1, split size]
         * @return this builder
         * @throws IllegalArgumentException if {@code size < 1}
         */
        public Builder optSubset(int size) {
            this.subsetSize = requirePositiveSubset(size);
            this.subsetSeed = null;
            return this;
        }

        /**
         * Keeps {@code size} examples drawn uniformly without replacement with a seeded generator, in
         * their original order (default: all).
         *
         * @param size the number of examples, in [1, split size]
         * @param seed the seed of the draw; equal seeds select equal subsets
         * @return this builder
         * @throws IllegalArgumentException if {@code size < 1}
         */
        public Builder optRandomSubset(int size, long seed) {
            this.subsetSize = requirePositiveSubset(size);
            this.subsetSeed = seed;
            return this;
        }

        private static int requirePositiveSubset(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("subset must be >= 1, got " + size);
            }
            return size;
        }

        /**
         * Builds the data set; files are read on {@link MnistDataset#prepare(Progress)}.
         *
         * @return the data set
         * @throws NullPointerException if files, manager or sampling were not set
         */
        public MnistDataset build() {
            getSampler();
            return new MnistDataset(this);
        }
    }
}
