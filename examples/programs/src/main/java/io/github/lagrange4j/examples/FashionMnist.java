package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import io.github.lagrange4j.models.data.IdxFileSet;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the constrained gated MLP ({@code density ≤ ε}) on Fashion-MNIST, read from
 * {@code ~/.lagrange4j/data/fashion-mnist} (fetched there from the Debian package
 * {@code dataset-fashion-mnist} with {@code apt-get download}, no root, if absent), from the system-wide
 * {@code /usr/share/datasets/fashion-mnist}, or from {@code --data-dir}; a {@code --data-dir} lacking the
 * files fails with a message saying how to fetch them.
 */
public final class FashionMnist {

    /**
     * The run and where its data came from.
     *
     * @param epsilon the target density ε
     * @param files the Fashion-MNIST files read
     * @param run the constrained run
     */
    public record Result(double epsilon, IdxFileSet files, RunSummary run) {}

    @Command(name = "FashionMnist", description = "Trains the constrained gated MLP on Fashion-MNIST.")
    static final class Options {
        @Mixin
        ExampleOptions common = new ExampleOptions();

        @Option(names = "--epsilon", paramLabel = "EPS",
                description = "Target density, in [0, 1] (default: ${DEFAULT-VALUE}).")
        double epsilon = 0.33;
    }

    private FashionMnist() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help}); {@code --data-dir} is the Fashion-MNIST directory
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), FashionMnist::runExample);
    }

    /**
     * Trains on Fashion-MNIST and returns the run.
     *
     * @param args the options
     * @return the result
     * @throws IOException if a file cannot be read
     * @throws IllegalStateException if {@code --data-dir} lacks Fashion-MNIST (the message says how to fetch it)
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        o.common.validate();
        ExampleOptions.requireFraction("--epsilon", o.epsilon);
        PrintStream out = System.out;
        IdxFileSet files = Examples.fashionMnist(o.common.dataDir());
        out.println("Fashion-MNIST: " + files.trainImages().getParent());
        Engine engine = Examples.engine(o.common.engineName());
        String label = String.format(Locale.ROOT, "Fashion-MNIST constrained eps=%s", o.epsilon);
        RunSummary run = Examples.train(label, Settings.constrained(o.common, o.epsilon, "fashion-mnist"), engine,
                files, out);
        out.printf(Locale.ROOT, "Fashion-MNIST: density %.3f (target %.2f), test accuracy %.2f%%, pruned %s%n",
                run.finalDensity(), o.epsilon, 100 * run.accuracy(), run.prunedArchitecture());
        return new Result(o.epsilon, files, run);
    }
}
