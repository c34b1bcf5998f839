package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.plot.TrainingPlots;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.ResultsTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the gated MLP 784-300-100-10 on MNIST twice with the same loop — penalized, minimising
 * {@code loss + (λ/N)·Σ_g P(z_g ≠ 0)·|g|} (Louizos et al., ICLR 2018), and constrained, minimising the loss
 * subject to {@code density ≤ ε} by gradient descent-ascent on the Lagrangian (Gallego-Posada, Ramirez et
 * al., NeurIPS 2022) — and prints the paper-style table.
 *
 * <p>The penalty weight λ sets the density only indirectly (it depends on the data set size and on the
 * run); the constraint names the density and the multiplier λ_ε is learnt. Options (see {@code --help}):
 * {@code --epochs 3 --epsilon 0.33 --penalty-lambda 0.1 --train-subset 0 --engine PyTorch}. With {@code --out DIR} the comparison plot ({@code compare.png}) and the table ({@code results.md}) are
 * written there as well.
 */
public final class PenalizedVsConstrained {

    /**
     * The two runs and their table.
     *
     * @param penalized the penalized run
     * @param constrained the constrained run
     * @param epsilon the target density ε of the constrained run
     * @param penaltyLambda λ of the penalized run (per expected active parameter, divided by N)
     * @param table the paper-style table: one row per run
     */
    public record Result(RunSummary penalized, RunSummary constrained, double epsilon, double penaltyLambda,
            ResultsTable table) {}

    @Command(name = "PenalizedVsConstrained", mixinStandardHelpOptions = false,
            description = "Trains the gated MLP penalized and constrained with the same loop and compares them.")
    static final class Options {
        @Mixin
        ExampleOptions common = new ExampleOptions();

        @Option(names = "--epsilon", paramLabel = "EPS",
                description = "Target density of the constrained run, in [0, 1] (default: ${DEFAULT-VALUE}).")
        double epsilon = 0.33;

        @Option(names = "--penalty-lambda", paramLabel = "L",
                description = "Louizos penalty weight λ (0.1 means the paper's 0.1/N; default: ${DEFAULT-VALUE}).")
        double penaltyLambda = 0.1;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Also write compare.png and results.md into this directory.")
        Path out;
    }

    private PenalizedVsConstrained() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), PenalizedVsConstrained::runExample);
    }

    /**
     * Trains both runs, prints the table and returns the result.
     *
     * @param args the options
     * @return the two runs and the table
     * @throws IOException if MNIST cannot be read or fetched, or the output cannot be written
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        o.common.validate();
        ExampleOptions.requireFraction("--epsilon", o.epsilon);
        if (!(o.penaltyLambda > 0) || Double.isInfinite(o.penaltyLambda)) {
            throw new IllegalArgumentException("--penalty-lambda must be > 0 and finite, got " + o.penaltyLambda);
        }
        PrintStream out = System.out;
        Engine engine = Examples.engine(o.common.engineName());
        IdxFileSet files = Examples.mnist(o.common.dataDir(), out);

        RunSettings penalizedSettings = Settings.penalized(o.common, o.penaltyLambda);
        RunSettings constrainedSettings = Settings.constrained(o.common, o.epsilon, "mnist");
        String penalizedLabel = String.format(Locale.ROOT, "penalized lambda=%s/N", o.penaltyLambda);
        String constrainedLabel = String.format(Locale.ROOT, "constrained eps=%s", o.epsilon);
        RunSummary penalized = Examples.train(penalizedLabel, penalizedSettings, engine, files, out);
        RunSummary constrained = Examples.train(constrainedLabel, constrainedSettings, engine, files, out);

        ResultsTable table = ResultsTable.of(List.of(
                penalized.row("MLP", penalizedLabel), constrained.row("MLP", constrainedLabel)));
        out.println();
        out.println(table.toText());
        if (o.out != null) {
            Files.createDirectories(o.out);
            TrainingPlots.writeComparison(o.out.resolve("compare.png"), List.of(
                    new TrainingPlots.PlottedRun(penalizedLabel, penalized.epochs()),
                    new TrainingPlots.PlottedRun(constrainedLabel, constrained.epochs())));
            AtomicFiles.writeText(o.out.resolve("results.md"), table.toMarkdown());
            out.println("wrote " + o.out.resolve("compare.png") + " and " + o.out.resolve("results.md"));
        }
        return new Result(penalized, constrained, o.epsilon, o.penaltyLambda, table);
    }
}
