package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option: where the MNIST IDX files live. Without it the directory comes from
 * {@code LAGRANGE4J_DATA}, then {@code -Dlagrange4j.data}, then {@code ~/.lagrange4j/data/mnist}
 * (see {@link DataDirectory}). Mix it in with {@code @Mixin DataDirOption dataDir;}.
 */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "MNIST directory (default: $LAGRANGE4J_DATA, else ~/.lagrange4j/data/mnist).")
    private Path directory;

    /**
     * Returns the MNIST data directory.
     *
     * @return the absolute directory (not necessarily existing)
     */
    public Path directory() {
        return DataDirectory.mnist(directory);
    }
}
