package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.plot.TrainingPlots;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.ConsoleText;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SeedSummary;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.Progress;
import io.github.lagrange4j.training.output.ResultsTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j compare}: trains the same gated model penalized and constrained with otherwise equal
 * options, prints the paper-style table (model, approach, pruned architecture, density, best and final
 * error) and writes it with a side-by-side plot of both runs' dynamics.
 *
 * <p>Output directory: {@code penalized/} and {@code constrained/} run directories, {@code results.md},
 * {@code results.txt} and {@code comparison.png}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train penalized and constrained with the same options and print the paper-style table.",
                "Options as for 'train'; --approach is ignored."})
public final class CompareCommand implements Callable<Integer> {

    /** The comparison plot's file name. */
    public static final String PLOT = "comparison.png";

    @Spec
    private CommandSpec spec;

    @Mixin
    private TrainingSetup setup;

    @Mixin
    private SparsityOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/compare-<model>-<time>).")
    private Path out;

    @Option(names = "--seeds", split = ",", paramLabel = "S",
            description = "Compare once per seed (comma-separated), each in DIR/seed-S, and write the mean and sd of"
                    + " the final test error and deployed density per approach to DIR/results.md and"
                    + " DIR/summary.json.")
    private List<Long> seeds;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on an interactive console (default: on).")
    private boolean progress = true;

    private ResultsTable lastTable;
    private List<RunResult> lastRuns;
    private SeedSummary lastSummary;

    /**
     * Returns the summary of the last multi-seed comparison.
     *
     * @return the summary, or null
     */
    public SeedSummary lastSummary() {
        return lastSummary;
    }

    /**
     * Returns the table of the last comparison.
     *
     * @return the table, or null
     */
    public ResultsTable lastTable() {
        return lastTable;
    }

    /**
     * Returns the runs of the last comparison, penalized first.
     *
     * @return the runs, or null
     */
    public List<RunResult> lastRuns() {
        return lastRuns;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        options.approach = Approach.PENALIZED;
        RunSettings penalized = options.settings(commandLine);
        options.approach = Approach.CONSTRAINED;
        RunSettings constrained = options.settings(commandLine);
        PrintWriter log = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, constrained.data().dataset().label(),
                constrained.model().architecture(), true, log);
        Engine engine = env.engine();
        Device device = env.device();
        IdxFileSet files = env.files();
        Path dir = out != null ? out : Path.of("runs", "compare-" + L0TrainCommand.defaultDirectory(constrained)
                .getFileName());
        if (seeds == null) {
            compare(dir, penalized, constrained, engine, device, files, log);
            return 0;
        }
        L0TrainCommand.checkSeeds(commandLine, seeds, false, options.seed != null);
        List<RunResult> penalizedRuns = new ArrayList<>();
        List<RunResult> constrainedRuns = new ArrayList<>();
        for (long seed : seeds) {
            log.printf("== seed %d%n", seed);
            compare(dir.resolve("seed-" + seed), penalized.withSeed(seed),
                    constrained.withSeed(seed), engine, device, files, log);
            penalizedRuns.add(lastRuns.get(0));
            constrainedRuns.add(lastRuns.get(1));
        }
        lastSummary = new SeedSummary(List.of(
                new SeedSummary.Row(penalized.model().architecture().title(), penalized.objective().label(),
                        penalizedRuns),
                new SeedSummary.Row(constrained.model().architecture().title(), constrained.objective().label(),
                        constrainedRuns)));
        L0TrainCommand.writeSummary(dir, lastSummary, log);
        return 0;
    }

    private void compare(Path dir, RunSettings penalized, RunSettings constrained, Engine engine, Device device,
            IdxFileSet files, PrintWriter log) throws java.io.IOException {
        List<RunResult> runs = new ArrayList<>();
        List<ResultsTable.Row> rows = new ArrayList<>();
        List<TrainingPlots.PlottedRun> plotted = new ArrayList<>();
        for (RunSettings settings : List.of(penalized, constrained)) {
            String name = settings.objective().approach().name().toLowerCase(java.util.Locale.ROOT);
            log.printf("== %s: %s%n", name, settings);
            log.flush();
            RunResult result;
            try (Progress bar = TrainingSetup.progress(progress)) {
                result = seeds == null
                        ? SparsityRun.start(settings, dir.resolve(name), engine, device, files, bar, log,
                                TrainingPlots.runPlot())
                        : L0TrainCommand.startOrResume(settings, dir.resolve(name), engine, device, files, bar, log);
            }
            runs.add(result);
            rows.add(ResultsTable.Row.fromEpochs(settings.model().architecture().title(), settings.objective().label(),
                    result.epochs()));
            plotted.add(new TrainingPlots.PlottedRun(ConsoleText.plotLabel(settings), result.epochs(),
                    result.totalParameters()));
        }
        ResultsTable table = ResultsTable.of(rows);
        AtomicFiles.writeText(dir.resolve("results.md"), table.toMarkdown());
        AtomicFiles.writeText(dir.resolve("results.txt"), table.toText());
        TrainingPlots.writeComparison(dir.resolve(PLOT), plotted);
        log.println();
        log.println(table.toText());
        log.printf("results: %s (plot %s)%n", dir.resolve("results.md"), dir.resolve(PLOT));
        log.flush();
        lastTable = table;
        lastRuns = List.copyOf(runs);
    }
}
