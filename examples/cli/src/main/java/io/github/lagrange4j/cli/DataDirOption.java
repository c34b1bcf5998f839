package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option: where the data set's IDX files live. Without it MNIST's directory comes
 * from {@code LAGRANGE4J_DATA}, then {@code -Dlagrange4j.data}, then {@code ~/.lagrange4j/data/mnist}
 * (see {@link DataDirectory}); Fashion-MNIST's is {@code ~/.lagrange4j/data/fashion-mnist}, or the
 * system-wide {@code /usr/share/datasets/fashion-mnist}. A {@code --data-dir} that does not exist is
 * refused (a typo must not start a download into a new directory), except by {@code fetch-data}, which is
 * asked to fill it. Mix it in with {@code @Mixin DataDirOption dataDir;}.
 */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data set directory (default: $LAGRANGE4J_DATA, else ~/.lagrange4j/data/mnist;"
                    + " ~/.lagrange4j/data/fashion-mnist or /usr/share/datasets/fashion-mnist for Fashion-MNIST).")
    private Path directory;

    /**
     * Returns the MNIST data directory, without checking it.
     *
     * @return the absolute directory (not necessarily existing)
     */
    public Path directory() {
        return DataDirectory.mnist(directory);
    }

    /**
     * Returns the {@code --data-dir} given on the command line.
     *
     * @return the directory as given, or null
     */
    public Path explicit() {
        return directory;
    }

    /**
     * Returns the directory of a data set for a command that reads it; an explicit {@code --data-dir}
     * must exist.
     *
     * @param commandLine the command line, for the error
     * @param dataset "mnist" or "fashion-mnist"
     * @return the absolute directory
     * @throws CommandLine.ParameterException if {@code --data-dir} names a directory that does not exist
     */
    public Path forDataset(CommandLine commandLine, String dataset) {
        if (directory != null && !Files.isDirectory(directory)) {
            String fetch = "./lagrange4j fetch-data" + ("fashion-mnist".equals(dataset) ? " --dataset fashion-mnist" : "")
                    + " --data-dir " + directory;
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--data-dir': "
                    + directory + " does not exist (nothing was created or downloaded); check the path, or fetch"
                    + " the data set into it with '" + fetch + "'");
        }
        return "fashion-mnist".equals(dataset) ? FashionMnistFetcher.locate(directory) : DataDirectory.mnist(directory);
    }
}
