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
 * Runs the same constrained training (gated MLP, {@code density ≤ ε}, dual ascent on the Lagrangian) on
 * the DJL engine chosen by {@code --engine PyTorch|MXNet}: nothing in lagrange4j names an engine, so
 * switching is a flag, and the engine actually used is read back from the model's parameter arrays.
 *
 * <p>Both engines ship on the examples' runtime classpath; the JVM pins the default engine
 * ({@code -Dai.djl.default_engine=PyTorch}), and {@code --engine MXNet} overrides it for this run. The run
 * is the driver's ({@code SparsityTrainer}: a DJL {@code Trainer} with the constrained optimizer plugged
 * in), so data order, seeds, problem and update rule are the same on both engines.
 */
public final class EngineSwap {

    /**
     * The engine asked for, the engine used and the run.
     *
     * @param requestedEngine the value of {@code --engine}
     * @param engine the engine of the model's parameter arrays ({@code Engine.getEngineName()} of their manager)
     * @param engineVersion that engine's version
     * @param epsilon the target density ε
     * @param run the constrained run
     */
    public record Result(String requestedEngine, String engine, String engineVersion, double epsilon,
            RunSummary run) {}

    @Command(name = "EngineSwap", description = "Trains the constrained gated MLP on the engine named by --engine.")
    static final class Options {
        @Mixin
        ExampleOptions common = new ExampleOptions();

        @Option(names = "--epsilon", paramLabel = "EPS",
                description = "Target density, in [0, 1] (default: ${DEFAULT-VALUE}).")
        double epsilon = 0.33;
    }

    private EngineSwap() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), EngineSwap::runExample);
    }

    /**
     * Trains on the chosen engine and returns what it used and measured.
     *
     * @param args the options
     * @return the result
     * @throws IOException if MNIST cannot be read or fetched
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        o.common.validate();
        ExampleOptions.requireFraction("--epsilon", o.epsilon);
        PrintStream out = System.out;
        Engine engine = Examples.engine(o.common.engineName());
        IdxFileSet files = Examples.mnist(o.common.dataDir(), out);
        String label = String.format(Locale.ROOT, "constrained eps=%s", o.epsilon);
        RunSummary run = Examples.train(label, Settings.constrained(o.common, o.epsilon, "mnist"), engine, files, out);
        out.printf(Locale.ROOT, "engine %s %s: density %.3f (target %.2f), test accuracy %.2f%%, pruned %s%n",
                run.engine(), engine.getVersion(), run.finalDensity(), o.epsilon, 100 * run.accuracy(),
                run.prunedArchitecture());
        return new Result(o.common.engineName(), run.engine(), engine.getVersion(), o.epsilon, run);
    }
}
