package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.FashionMnist;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.tests.foundation.GenuineFashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST example reads the Debian package's files ({@code dataset-fashion-mnist}, fetched
 * with {@code apt-get download} if absent), learns far above the 10% of chance and sparsifies; a
 * {@code --data-dir} without the files fails saying how to fetch them.
 */
class FashionMnistExampleTest {

    @Test
    void constrainedMlpLearnsFashionMnistAndSparsifies() throws IOException {
        Path data = GenuineFashionMnist.directory();
        FashionMnist.Result r = FashionMnist.runExample("--data-dir", data.toString(),"--train-subset", "4000", "--test-subset", "1000",
                "--epochs", "2", "--batch-size", "64", "--lr", "2e-3", "--gate-lr", "0.1", "--dual-lr", "0.5",
                "--epsilon", "0.33");
        System.out.println(r);

        assertThat(r.files()).isEqualTo(IdxFileSet.fashionMnist(data));
        ExampleChecks.assertConsistent(r.run(), 2);
        assertThat(r.run().finalDensity()).isLessThan(r.run().initialDensity());
        assertThat(r.run().accuracy()).isGreaterThanOrEqualTo(0.65);
    }

    @Test
    void aDirectoryWithoutTheFilesFailsSayingHowToInstallThem(@TempDir Path empty) {
        assertThatThrownBy(() -> FashionMnist.runExample("--data-dir", empty.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Fashion-MNIST not found")
                .hasMessageContaining("./lagrange4j fetch-data --dataset fashion-mnist --data-dir " + empty)
                .hasMessageContaining(empty.toString());
    }
}
