package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.plot.TrainingPlots;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SeedSummary;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Progress;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j train}: trains a gated MLP or LeNet-5 on MNIST, penalized or under a density budget,
 * writing metrics, plot, configuration and checkpoints to a run directory; {@code --resume DIR} continues
 * an interrupted run exactly.
 *
 * <p>Default (no options): the constrained MLP with ε = 0.33 in the quick preset.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a gated (L0) model under a density budget, or penalized, and record its dynamics.",
                "Default: constrained MLP 784-300-100-10, model-wise epsilon = 0.33, quick preset (10 epochs)."})
public final class L0TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TrainingSetup setup;

    @Mixin
    private SparsityOptions options;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/<model>-<approach>-<time>).")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest valid checkpoint.")
    private Path resume;

    @Option(names = "--allow-config-change",
            description = "With --resume: accept options that differ from the run's configuration.")
    private boolean allowConfigChange;

    @Option(names = "--seeds", split = ",", paramLabel = "S",
            description = "Train once per seed (comma-separated), each in DIR/seed-S, and write the mean and sd of the"
                    + " final test error and deployed density to DIR/results.md and DIR/summary.json. Run again,"
                    + " the same command resumes the unfinished seeds.")
    private List<Long> seeds;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on an interactive console (default: on).")
    private boolean progress = true;

    private RunResult lastResult;
    private SeedSummary lastSummary;

    /**
     * Returns the summary of the last multi-seed run of this command object.
     *
     * @return the summary, or null
     */
    public SeedSummary lastSummary() {
        return lastSummary;
    }

    /**
     * Returns the result of the last run of this command object.
     *
     * @return the result, or null
     */
    public RunResult lastResult() {
        return lastResult;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (resume != null && out != null) {
            throw new CommandLine.ParameterException(commandLine, "--out and --resume exclude each other");
        }
        RunSettings settings;
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve(SparsityRun.CONFIG))) {
                throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--resume': "
                        + resume + " is not a run directory (no " + SparsityRun.CONFIG + ")");
            }
            settings = options.settingsOver(commandLine,
                    RunManifest.read(resume).configurationAs(RunSettings.class));
        } else {
            settings = options.settings(commandLine);
        }
        if (seeds != null) {
            return trainSeeds(commandLine, settings);
        }
        PrintWriter log = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, settings.data().dataset().label(),
                settings.model().architecture(), true, log);
        setup.checkDevices(settings.optimization().devices(), env.engine());
        Engine engine = env.engine();
        Device device = env.device();
        IdxFileSet files = env.files();
        try (Progress bar = TrainingSetup.progress(progress)) {
            if (resume != null) {
                lastResult = SparsityRun.resume(resume, settings, allowConfigChange, engine, device, files, bar, log,
                        TrainingPlots.runPlot());
            } else {
                Path dir = out != null ? out : defaultDirectory(settings);
                log.printf("run directory: %s%n%s%n", dir, settings);
                log.flush();
                lastResult = SparsityRun.start(settings, dir, engine, device, files, bar, log, TrainingPlots.runPlot());
            }
        }
        EpochMetrics last = lastResult.last();
        // a MAC budget is judged on the kept MACs per image, which the line then shows too
        String macs = lastResult.settings().objective().scope() != ConstraintScope.MACS ? ""
                : String.format(Locale.ROOT, " and %d MACs", last.keptMacs());
        log.printf(Locale.ROOT, "done: final test error %.2f%%, density %.4f, pruned %s, kept %d params%s, budget %s;"
                        + " results in %s%n", 100 * last.testError(), last.expectedDensity(), last.prunedArchitecture(),
                last.keptParameters(), macs, last.budgetMet() ? "met" : "NOT met", lastResult.runDirectory());
        lastResult.bestFeasibleEpoch().ifPresentOrElse(
                b -> log.printf(Locale.ROOT, "best feasible epoch (on validation): %d, validation error %.2f%%,"
                        + " test error %.2f%%%n", b.epoch(), 100 * b.validationError(), 100 * b.testError()),
                () -> log.println(last.hasValidation() ? "best feasible epoch: none met the budget"
                        : "best feasible epoch: no validation split (--validation-size 0)"));
        log.flush();
        return 0;
    }

    private int trainSeeds(CommandLine commandLine, RunSettings settings) throws Exception {
        checkSeeds(commandLine, seeds, resume != null, options.seed != null);
        PrintWriter log = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, settings.data().dataset().label(),
                settings.model().architecture(), true, log);
        setup.checkDevices(settings.optimization().devices(), env.engine());
        Engine engine = env.engine();
        Device device = env.device();
        IdxFileSet files = env.files();
        Path dir = out != null ? out : defaultDirectory(settings);
        List<RunResult> runs = new ArrayList<>();
        for (long seed : seeds) {
            RunSettings seeded = settings.withSeed(seed);
            Path runDir = dir.resolve("seed-" + seed);
            log.printf("== seed %d: run directory %s%n%s%n", seed, runDir, seeded);
            log.flush();
            try (Progress bar = TrainingSetup.progress(progress)) {
                lastResult = startOrResume(seeded, runDir, engine, device, files, bar, log);
            }
            runs.add(lastResult);
        }
        lastSummary = new SeedSummary(List.of(new SeedSummary.Row(settings.model().architecture().title(),
                settings.objective().label(), runs)));
        writeSummary(dir, lastSummary, log);
        return 0;
    }

    /**
     * Starts a run of a multi-seed job, or continues it if its directory already holds one (the same command
     * run again after an interruption resumes every unfinished seed and skips the finished ones; the settings
     * must equal the stored ones).
     */
    static RunResult startOrResume(RunSettings settings, Path runDir, Engine engine, Device device, IdxFileSet files,
            Progress bar, PrintWriter log) throws java.io.IOException {
        if (Files.exists(runDir.resolve(SparsityRun.CONFIG))) {
            return SparsityRun.resume(runDir, settings, false, engine, device, files, bar, log, TrainingPlots.runPlot());
        }
        return SparsityRun.start(settings, runDir, engine, device, files, bar, log, TrainingPlots.runPlot());
    }

    /** Refuses --seeds with --resume or --seed, and empty or repeated seeds. */
    static void checkSeeds(CommandLine commandLine, List<Long> seeds, boolean resume, boolean seed) {
        if (resume) {
            throw new CommandLine.ParameterException(commandLine,
                    "--seeds and --resume exclude each other: resume each DIR/seed-S with --resume DIR/seed-S");
        }
        if (seed) {
            throw new CommandLine.ParameterException(commandLine, "--seed and --seeds exclude each other");
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--seeds': give distinct seeds, e.g. 1,2,3, got " + seeds);
        }
    }

    /** Writes results.md and summary.json of several seeds and prints the table. */
    static void writeSummary(Path dir, SeedSummary summary, PrintWriter log) throws java.io.IOException {
        AtomicFiles.writeText(dir.resolve("results.md"), summary.toMarkdown());
        AtomicFiles.writeText(dir.resolve("summary.json"), summary.toJson(dir));
        log.println();
        log.print(summary.toMarkdown());
        log.printf("summary: %s and %s%n", dir.resolve("results.md"), dir.resolve("summary.json"));
        log.flush();
    }

    static Path defaultDirectory(RunSettings settings) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", settings.model().architecture().name().toLowerCase(Locale.ROOT) + "-"
                + settings.objective().approach().name().toLowerCase(Locale.ROOT) + "-" + time);
    }
}
