package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An MNIST-style split becomes one image array and one label array with exact values, on every engine.
 * The crafted set has 5 training images of 2 × 2 pixels; image i has pixels (i, 10i, 100, 255) and
 * label i; the test split has one image.
 */
class MnistDatasetTest {

    @TempDir
    Path dir;

    private IdxFileSet files;

    @BeforeEach
    void writeFiles() throws IOException {
        int[] pixels = new int[20];
        for (int i = 0; i < 5; i++) {
            pixels[4 * i] = i;
            pixels[4 * i + 1] = 10 * i;
            pixels[4 * i + 2] = 100;
            pixels[4 * i + 3] = 255;
        }
        files = IdxFileSet.fashionMnist(dir);
        IdxFiles.write(files.trainImages(), IdxFiles.gzip(IdxFiles.images(5, 2, 2, pixels)));
        IdxFiles.write(files.trainLabels(), IdxFiles.gzip(IdxFiles.labels(0, 1, 2, 3, 4)));
        IdxFiles.write(files.testImages(), IdxFiles.gzip(IdxFiles.images(1, 2, 2, 9, 9, 9, 9)));
        IdxFiles.write(files.testLabels(), IdxFiles.gzip(IdxFiles.labels(7)));
    }

    private MnistDataset.Builder builder(NDManager manager) {
        return MnistDataset.builder().setFiles(files).setManager(manager).setSampling(2, false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void flatUnitIntervalImagesAndFloatLabels(String engine) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset train = builder(manager).build();
            train.prepare();

            assertThat(train.size()).isEqualTo(5);
            assertThat(train.images().getShape()).isEqualTo(new Shape(5, 4));
            assertThat(train.images().get(3).toFloatArray())
                    .containsExactly(new float[] {3 / 255f, 30 / 255f, 100 / 255f, 1f}, within(1e-7f));
            assertThat(train.labels().toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f);
            assertThat(train.imageRows()).isEqualTo(2);
            assertThat(train.imageColumns()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void standardizedChannelFirstTestSplit(String engine) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset test = builder(manager)
                    .optUsage(Dataset.Usage.TEST)
                    .optNormalization(Normalization.MNIST_STANDARDIZED)
                    .optLayout(ImageLayout.CHANNEL_FIRST)
                    .build();
            test.prepare();

            assertThat(test.images().getShape()).isEqualTo(new Shape(1, 1, 2, 2));
            float expected = (float) ((9 / 255.0 - 0.1307) / 0.3081);
            assertThat(test.images().toFloatArray()).containsOnly(expected);
            assertThat(test.labels().toFloatArray()).containsExactly(7f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void batchesCoverTheSplitInOrder(String engine) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset train = builder(manager).build();
            List<Float> labels = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            for (Batch batch : train.getData(manager)) {
                sizes.add(batch.getData().singletonOrThrow().getShape().get(0));
                for (float label : batch.getLabels().singletonOrThrow().toFloatArray()) {
                    labels.add(label);
                }
                batch.close();
            }
            assertThat(sizes).containsExactly(2L, 2L, 1L);
            assertThat(labels).containsExactly(0f, 1f, 2f, 3f, 4f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch"})
    void subsetsTakeTheFirstNOrASeededDraw(String engine) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset first = builder(manager).optSubset(3).build();
            first.prepare();
            assertThat(first.labels().toFloatArray()).containsExactly(0f, 1f, 2f);

            MnistDataset drawA = builder(manager).optRandomSubset(3, 42L).build();
            MnistDataset drawB = builder(manager).optRandomSubset(3, 42L).build();
            drawA.prepare();
            drawB.prepare();
            float[] a = drawA.labels().toFloatArray();
            assertThat(a).hasSize(3).doesNotHaveDuplicates().isSorted()
                    .containsExactly(drawB.labels().toFloatArray());
            // each image keeps its own label: image i has first pixel i
            float[] firstPixels = drawA.images().get(":, 0").mul(255).round().toFloatArray();
            assertThat(firstPixels).containsExactly(a);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch"})
    void aSubsetLargerThanTheSplitNamesTheRange(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset train = builder(manager).optSubset(6).build();
            assertThatThrownBy(train::prepare)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("subset must be in [1, 5] (the size of the TRAIN split of Fashion-MNIST), got 6");
            assertThatThrownBy(() -> builder(manager).optSubset(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("subset must be >= 1, got 0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch"})
    void moreLabelsThanImagesIsACountMismatch(String engine) throws IOException {
        IdxFiles.write(files.testLabels(), IdxFiles.labels(7, 8));
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            MnistDataset test = builder(manager).optUsage(Dataset.Usage.TEST).build();
            assertThatThrownBy(test::prepare)
                    .isInstanceOfSatisfying(DataFileException.class,
                            e -> assertThat(e.fault()).isEqualTo(Fault.COUNT_MISMATCH))
                    .hasMessage(files.testLabels() + ": image/label count mismatch: 2 labels, but the images file "
                            + files.testImages() + " holds 1 images");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch"})
    void validationSplitAndMissingSettingsAreRejected(String engine) {
        try (NDManager manager = NDManager.newBaseManager(engine)) {
            assertThatThrownBy(() -> builder(manager).optUsage(Dataset.Usage.VALIDATION))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("usage must be TRAIN or TEST, got VALIDATION");
            assertThatThrownBy(() -> MnistDataset.builder().setManager(manager).setSampling(1, false).build())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("files must be set with setFiles(IdxFileSet)");
            assertThatThrownBy(() -> builder(manager).build().images())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("call prepare() before reading the arrays of Fashion-MNIST");
        }
    }
}
