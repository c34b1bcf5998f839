package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.BudgetCheck;
import io.github.lagrange4j.training.ModelExport;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j export}: the command over {@link ModelExport}, which compacts the final gated model of a run
 * directory into an ordinary DJL model, checks that it predicts like the gated model on the test set and
 * measures size and inference speed. This class reads the options, names the output, prints the table and
 * fails (exit code 1, after printing its table) if a logit differs by more than {@link #TOLERANCE}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Compact a trained gated model into an ordinary smaller DJL model and compare its size,",
                "predictions and inference speed with the gated model on the MNIST test set."})
public final class ExportCommand implements Callable<Integer> {

    /** The batch size of the comparison and of the timing. */
    public static final int BATCH = ModelExport.BATCH;

    /** The largest logit difference accepted between the gated and the compacted model. */
    public static final double TOLERANCE = 1e-4;

    @Spec
    private CommandSpec spec;

    @Mixin
    private TrainingSetup setup;

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "Run directory written by 'lagrange4j train' (config.json and model.params).")
    private Path run;

    @Option(names = "--out", paramLabel = "FILE_OR_DIR",
            description = "Output directory (default: RUN/compact); a path ending in .params names the model by"
                    + " its file name.")
    private Path out;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N",
            description = "Timed passes over the test set per model, after a warm-up (default: ${DEFAULT-VALUE}).")
    private int repeats = 5;

    private ModelExport.Result lastResult;

    /**
     * Returns the result of the last export of this command object.
     *
     * @return the result, or null
     */
    public ModelExport.Result lastResult() {
        return lastResult;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine commandLine = spec.commandLine();
        if (repeats < 1) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--repeats': must be >= 1, got " + repeats);
        }
        checkRunDirectory(commandLine);
        RunSettings settings = RunManifest.read(run).configurationAs(RunSettings.class);
        Path outDir = out == null ? run.resolve("compact") : out.toString().endsWith(".params")
                ? out.toAbsolutePath().getParent() : out;
        String name = out != null && out.getFileName().toString().endsWith(".params")
                ? out.getFileName().toString().replaceAll("(-\\d{4})?\\.params$", "")
                : settings.model().architecture().name().toLowerCase(Locale.ROOT) + "-compact";
        PrintWriter log = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, settings.data().dataset().label(),
                settings.model().architecture(), true, log);
        lastResult = ModelExport.export(run, outDir, name, env.engine(), env.device(), env.files(), repeats);
        print(log, lastResult, settings);
        if (!(lastResult.maxAbsLogitDifference() <= TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the compacted model's logits differ from the"
                    + " gated model's by up to %.3g (tolerance %.0e) on the test set (one known cause: PyTorch's oneDNN"
                    + " convolution on some CPUs; the launcher's kernel check should catch it: rerun with ONEDNN_MAX_CPU_ISA=SSE41)",
                    lastResult.maxAbsLogitDifference(), TOLERANCE));
        }
        return 0;
    }

    private void checkRunDirectory(CommandLine commandLine) {
        if (!Files.isDirectory(run)) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--run': " + run
                    + " is not a directory (expected a run directory written by 'lagrange4j train')");
        }
        if (!Files.isRegularFile(run.resolve(RunManifest.FILE))) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--run': " + run
                    + " has no " + RunManifest.FILE + " (not a run directory written by 'lagrange4j train')");
        }
        if (!Files.isRegularFile(run.resolve(SparsityRun.MODEL))) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--run': " + run
                    + " has no " + SparsityRun.MODEL + " (the run has not finished; continue it with"
                    + " 'lagrange4j train --resume " + run + "')");
        }
    }

    private static void print(PrintWriter log, ModelExport.Result r, RunSettings settings) {
        log.printf(Locale.ROOT, "exported %s (%s, pruned %s, kept outputs %s) to %s%n", r.runDirectory(),
                settings.model().architecture().title(), r.prunedArchitecture(), r.keptOutputs(),
                r.outputDirectory().resolve(r.modelName() + "-0000.params"));
        log.printf(Locale.ROOT, "%-28s %14s %14s%n", "", "gated", "compacted");
        log.printf(Locale.ROOT, "%-28s %,14d %,14d%n", "parameters", r.gatedParameters(), r.compactParameters());
        log.printf(Locale.ROOT, "%-28s %,14d %,14d%n", "file size (bytes)", r.gatedFileBytes(), r.compactFileBytes());
        log.printf(Locale.ROOT, "%-28s %14.0f %14.0f%n", "images/s (batch " + BATCH + ", median)",
                r.gatedImagesPerSecond(), r.compactImagesPerSecond());
        log.printf(Locale.ROOT, "%-28s %13.2f%% %13.2f%%%n", "test accuracy", 100 * r.gatedAccuracy(),
                100 * r.compactAccuracy());
        log.printf(Locale.ROOT, "speed-up %.2fx; max |logit difference| %.3g; same prediction on %.2f%% of %d test"
                        + " images; kept parameters reported by the accounting: %,d%n", r.speedup(),
                r.maxAbsLogitDifference(), 100 * r.argmaxAgreement(), r.testImages(), r.keptParameters());
        for (BudgetCheck.Entry e : r.budget().entries()) {
            log.println("budget " + e.describe());
        }
        log.flush();
    }
}
