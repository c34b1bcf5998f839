package io.github.lagrange4j.tests.foundation;

import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Fashion-MNIST directory for tests: the project's ({@code ~/.lagrange4j/data/fashion-mnist}) or the
 * system-wide package's, fetched into the project's with {@code apt-get download dataset-fashion-mnist}
 * (no root, nothing installed) if neither holds the files, so that {@code mvn test} alone works on a
 * fresh Debian machine.
 */
public final class GenuineFashionMnist {

    private static Path directory;

    private GenuineFashionMnist() {}

    /**
     * Returns the directory holding the four verified Fashion-MNIST files.
     *
     * @return the directory
     * @throws IllegalStateException saying what to run if the files cannot be fetched
     */
    public static synchronized Path directory() {
        if (directory == null) {
            Path dir = FashionMnistFetcher.locate(null);
            try {
                if (!FashionMnistFetcher.isComplete(dir)) {
                    dir = DataDirectory.fashionMnist(null);
                    FashionMnistFetcher.usingApt().fetch(dir);
                }
                FashionMnistFetcher.verify(dir);
            } catch (IOException e) {
                throw new IllegalStateException("These tests need Fashion-MNIST in " + dir + " and could not fetch it"
                        + " with 'apt-get download dataset-fashion-mnist': " + e.getMessage(), e);
            }
            directory = dir;
        }
        return directory;
    }
}
