package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.ImageLayout;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.models.data.MnistFile;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.models.data.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data set is genuine MNIST: published digests, 60,000/10,000 images of 28 × 28, the known class
 * counts (5,923 zeros in training) and the known pixel statistics (mean 0.1307, std 0.3081).
 */
class GenuineMnistTest {

    /** Class counts of the MNIST training labels, digits 0 to 9. */
    private static final long[] TRAIN_CLASS_COUNTS = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    /** Class counts of the MNIST test labels, digits 0 to 9. */
    private static final long[] TEST_CLASS_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private static MnistDataset load(NDManager manager, Dataset.Usage usage, Normalization normalization,
            ImageLayout layout) throws IOException {
        MnistDataset dataset = MnistDataset.builder()
                .setFiles(IdxFileSet.mnist(GenuineMnist.directory()))
                .setManager(manager)
                .setSampling(100, false)
                .optUsage(usage)
                .optNormalization(normalization)
                .optLayout(layout)
                .build();
        dataset.prepare();
        return dataset;
    }

    static long[] classCounts(NDArray labels) {
        long[] counts = new long[10];
        for (float label : labels.toFloatArray()) {
            counts[(int) label]++;
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(MnistFile.class)
    void everyFileHasItsPublishedSha256(MnistFile file) throws IOException {
        Path path = GenuineMnist.file(file.fileName());
        assertThat(Sha256.of(path)).isEqualTo(file.sha256());
        MnistFetcher.verify(GenuineMnist.directory());
    }

    @Test
    void trainingSplitHas60000ImagesAnd5923Zeros() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MnistDataset train = load(manager, Dataset.Usage.TRAIN, Normalization.UNIT_INTERVAL, ImageLayout.FLAT);

            assertThat(train.size()).isEqualTo(60_000);
            assertThat(train.images().getShape()).isEqualTo(new Shape(60_000, 784));
            assertThat(train.imageRows()).isEqualTo(28);
            assertThat(train.imageColumns()).isEqualTo(28);
            long[] counts = classCounts(train.labels());
            assertThat(counts[0]).isEqualTo(5_923);
            assertThat(counts).containsExactly(TRAIN_CLASS_COUNTS);
        }
    }

    @Test
    void testSplitHas10000ImagesWithKnownClassCounts() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MnistDataset test = load(manager, Dataset.Usage.TEST, Normalization.UNIT_INTERVAL,
                    ImageLayout.CHANNEL_FIRST);

            assertThat(test.size()).isEqualTo(10_000);
            assertThat(test.images().getShape()).isEqualTo(new Shape(10_000, 1, 28, 28));
            assertThat(classCounts(test.labels())).containsExactly(TEST_CLASS_COUNTS);
        }
    }

    @Test
    void trainingPixelsHaveMean01307AndStd03081() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray pixels = load(manager, Dataset.Usage.TRAIN, Normalization.UNIT_INTERVAL, ImageLayout.FLAT)
                    .images();
            double mean = pixels.mean().getFloat();
            double std = pixels.sub(mean).square().mean().sqrt().getFloat();

            assertThat(pixels.min().getFloat()).isEqualTo(0f);
            assertThat(pixels.max().getFloat()).isEqualTo(1f);
            assertThat(mean).isCloseTo(0.1307, within(5e-4));
            assertThat(std).isCloseTo(0.3081, within(5e-4));
        }
    }

    @Test
    void standardizedTrainingPixelsHaveMean0AndStd1() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray pixels = load(manager, Dataset.Usage.TRAIN, Normalization.MNIST_STANDARDIZED,
                    ImageLayout.FLAT).images();
            double mean = pixels.mean().getFloat();
            double std = pixels.sub(mean).square().mean().sqrt().getFloat();

            assertThat(mean).isCloseTo(0.0, within(2e-3));
            assertThat(std).isCloseTo(1.0, within(2e-3));
        }
    }

    @Test
    void aSeededSubsetIsReproducibleAndDiffersFromTheFirstN() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MnistDataset.Builder base = MnistDataset.builder().setFiles(IdxFileSet.mnist(GenuineMnist.directory()))
                    .setManager(manager).setSampling(100, false);
            MnistDataset a = base.optRandomSubset(2_000, 7L).build();
            a.prepare();
            MnistDataset b = MnistDataset.builder().setFiles(IdxFileSet.mnist(GenuineMnist.directory()))
                    .setManager(manager).setSampling(100, false).optRandomSubset(2_000, 7L).build();
            b.prepare();
            MnistDataset first = MnistDataset.builder().setFiles(IdxFileSet.mnist(GenuineMnist.directory()))
                    .setManager(manager).setSampling(100, false).optSubset(2_000).build();
            first.prepare();

            assertThat(a.size()).isEqualTo(2_000);
            assertThat(a.labels().toFloatArray()).containsExactly(b.labels().toFloatArray());
            assertThat(a.images().contentEquals(b.images())).isTrue();
            assertThat(a.images().contentEquals(first.images())).isFalse();
            assertThat(Arrays.stream(classCounts(a.labels())).boxed().toList())
                    .allSatisfy(count -> assertThat(count).isBetween(150L, 260L));
        }
    }
}
