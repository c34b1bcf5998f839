package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.ImageLayout;
import io.github.lagrange4j.models.data.MnistDataset;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST from the Debian package {@code dataset-fashion-mnist} (gzipped IDX, fetched with
 * {@code apt-get download} if absent) loads through the same data set: 60,000/10,000 images, perfectly
 * balanced classes, mean pixel 0.2860.
 */
class FashionMnistTest {

    private static IdxFileSet files;

    @BeforeAll
    static void fetchIfAbsent() {
        files = IdxFileSet.fashionMnist(GenuineFashionMnist.directory());
    }

    @Test
    void trainingSplitIs60000ImagesWith6000PerClassAndMean02860() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MnistDataset train = MnistDataset.builder().setFiles(files).setManager(manager)
                    .setSampling(100, false).build();
            train.prepare();

            assertThat(train.images().getShape()).isEqualTo(new Shape(60_000, 784));
            assertThat(GenuineMnistTest.classCounts(train.labels())).containsOnly(6_000L);
            assertThat((double) train.images().mean().getFloat()).isCloseTo(0.2860, within(5e-4));
        }
    }

    @Test
    void testSplitIs10000ChannelFirstImagesWith1000PerClass() throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MnistDataset test = MnistDataset.builder().setFiles(files).setManager(manager)
                    .setSampling(100, false).optUsage(Dataset.Usage.TEST).optLayout(ImageLayout.CHANNEL_FIRST)
                    .build();
            test.prepare();

            assertThat(test.images().getShape()).isEqualTo(new Shape(10_000, 1, 28, 28));
            assertThat(GenuineMnistTest.classCounts(test.labels())).containsOnly(1_000L);
        }
    }
}
