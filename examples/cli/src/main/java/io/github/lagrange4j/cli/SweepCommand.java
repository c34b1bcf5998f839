package io.github.lagrange4j.cli;

import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.sweep.FrontierReport;
import io.github.lagrange4j.sweep.PlannedRun;
import io.github.lagrange4j.sweep.RunOutcome;
import io.github.lagrange4j.sweep.RunProgress;
import io.github.lagrange4j.sweep.SweepExecution;
import io.github.lagrange4j.sweep.SweepExecutor;
import io.github.lagrange4j.sweep.SweepGrid;
import io.github.lagrange4j.sweep.SweepPlan;
import io.github.lagrange4j.sweep.SweepSetup;
import io.github.lagrange4j.training.Approach;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code lagrange4j sweep}: expands a grid (budgets ε, penalty weights λ, seeds, an optional dense baseline) into
 * ordinary run directories under one sweep directory, trains them (embedded, several at once, or on Apache Spark
 * with {@code --spark-master}), and writes the accuracy-sparsity frontier ({@code results.md},
 * {@code frontier.csv}, {@code frontier.json}, {@code frontier.png}). Any other option is a {@code train} option
 * shared by every run.
 *
 * <p>Order: parse and validate the whole grid and every run's settings (a bad grid is refused naming the option,
 * exit 2, before anything is written), check the data, record or compare {@code sweep.json}, train the
 * unfinished runs (complete ones are skipped, started ones resume from their checkpoints, a failing run is
 * retried up to {@code --max-attempts} times), then write the report. Exit 1 if a run failed. The same command
 * run again continues the sweep; {@code --report DIR} only rewrites the report, of a finished or partial sweep.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a grid of runs (eps x seeds, penalized lambda x seeds, dense baseline) and plot the"
                + " accuracy-sparsity frontier.", "Any other option is a 'train' option shared by every run."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default: runs/sweep-<time>).")
    private Path out;

    @Option(names = "--epsilon", paramLabel = "EPS,...",
            description = "Budgets of the constrained runs, each in [0, 1] (default: 0.33 for the MLP, 0.10 for LeNet).")
    private String epsilons;

    @Option(names = "--penalty-lambda", paramLabel = "L,...",
            description = "Penalty weights of penalized runs (as in train: 0.1 means 0.1/N); adds PENALIZED runs.")
    private String lambdas;

    @Option(names = "--approach", paramLabel = "A,...",
            description = "CONSTRAINED and/or PENALIZED (default: CONSTRAINED, plus PENALIZED with --penalty-lambda).")
    private String approaches;

    @Option(names = "--seeds", paramLabel = "S,...", description = "Seeds of every point (default: 1).")
    private String seeds;

    @Option(names = "--dense-epochs", paramLabel = "N", defaultValue = "0",
            description = "Also train the dense model N epochs per seed, for the plot's reference line (default 0).")
    private int denseEpochs;

    @Option(names = "--dense-error", paramLabel = "PCT",
            description = "The dense model's test error in percent, for the plot's line, when the sweep trains none.")
    private Double denseErrorPercent;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Runs at once on this machine (default: the cores over --threads-per-run).")
    private Integer parallel;

    @Option(names = "--threads-per-run", paramLabel = "T",
            description = "Engine threads per run (default: -Dai.djl.pytorch.num_threads if set, else 1 up to 4"
                    + " cores, a quarter of the cores above); on Spark also spark.task.cpus.")
    private Integer threadsPerRun;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "Processes started for a failing run before it is reported failed (default 3).")
    private int maxAttempts;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "Run on Apache Spark: local[*], spark://HOST:7077, k8s://... (needs the sweep-spark module;"
                    + " the launcher adds it). The sweep directory must be reachable from every executor.")
    private String sparkMaster;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Only (re)write the report of the sweep in DIR, finished or not.")
    private Path report;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the sweep in DIR with the grid it records (no grid options needed).")
    private Path resume;

    @Unmatched
    private List<String> trainOptions = new ArrayList<>();

    private FrontierReport lastReport;

    /**
     * Returns the report of the last sweep of this command object.
     *
     * @return the report, or null
     */
    public FrontierReport lastReport() {
        return lastReport;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        PrintWriter log = commandLine.getOut();
        if (report != null) {
            return writeReport(report, SweepPlan.read(report), log, 0);
        }
        SweepPlan plan;
        Path dir;
        SweepExecutor executor;
        try {
            if (resume != null) {
                if (out != null) {
                    throw new IllegalArgumentException("--out and --resume exclude each other");
                }
                dir = resume;
                plan = SweepPlan.read(resume);
            } else {
                dir = out != null ? out : Path.of("runs", "sweep-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                plan = SweepPlan.of(grid(), args -> SweepTrainOptions.parse(args).settings());
            }
            executor = SweepSetup.executor(sparkMaster);
            SweepSetup.check(dir, plan, resume == null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "sweep: " + e.getMessage(), e);
        }
        SweepExecution execution = execution();
        // the data are checked (MNIST fetched if missing) once, before any run starts
        PlannedRun first = plan.runs().get(0);
        SweepTrainOptions.parse(first.trainArguments()).files(first.settings().data().dataset().label(), log);
        SweepSetup.record(dir, plan);
        List<PlannedRun> pending = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            if (!RunProgress.of(run, dir.resolve(run.id())).complete()) {
                pending.add(run);
            }
        }
        log.printf("sweep %s: %d runs, %d complete, %d to train (%s, %d thread(s) each, up to %d attempts)%n", dir,
                plan.runs().size(), plan.runs().size() - pending.size(), pending.size(),
                sparkMaster != null ? "spark " + sparkMaster : "embedded, " + execution.parallel() + " at once",
                execution.threadsPerRun(), execution.maxAttempts());
        log.flush();
        List<RunOutcome> outcomes = pending.isEmpty() ? List.of()
                : executor.execute(dir, pending, execution, log);
        long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
        for (RunOutcome o : outcomes) {
            if (!o.succeeded()) {
                log.printf("FAILED %s after %d attempt(s) on %s: %s%n", o.id(), o.attempts(), o.host(), o.message());
            }
        }
        return writeReport(dir, plan, log, failed > 0 ? 1 : 0);
    }

    private SweepGrid grid() {
        List<Approach> a = approaches == null ? null : GridLists.parse("--approach", approaches, GridLists::approach);
        List<Double> epsilons = this.epsilons == null ? null
                : GridLists.parse("--epsilon", this.epsilons, GridLists::number);
        List<Double> lambdas = this.lambdas == null ? null
                : GridLists.parse("--penalty-lambda", this.lambdas, GridLists::number);
        List<Long> seeds = this.seeds == null ? null : GridLists.parse("--seeds", this.seeds, Long::parseLong);
        if (a == null) {
            a = new ArrayList<>(List.of(Approach.CONSTRAINED));
            if (lambdas != null) {
                a.add(Approach.PENALIZED);
            }
            if (epsilons == null && lambdas != null) {
                a.remove(Approach.CONSTRAINED);
            }
        }
        List<Double> eps = epsilons;
        if (eps == null && a.contains(Approach.CONSTRAINED)) {
            eps = List.of(SweepTrainOptions.parse(trainOptions).settings().model().architecture() == ModelKind.MLP
                    ? 0.33 : 0.10);
        }
        List<Double> l = lambdas;
        if (l == null && a.contains(Approach.PENALIZED)) {
            l = List.of(0.1);
        }
        if (denseErrorPercent != null && !(denseErrorPercent >= 0 && denseErrorPercent <= 100)) {
            throw new IllegalArgumentException("--dense-error must be a percentage in [0, 100], got "
                    + denseErrorPercent);
        }
        return new SweepGrid(a, eps == null ? List.of() : eps, l == null ? List.of() : l,
                seeds == null ? List.of(1L) : seeds, denseEpochs,
                denseErrorPercent == null ? null : denseErrorPercent / 100, trainOptions);
    }

    private SweepExecution execution() {
        int cores = Runtime.getRuntime().availableProcessors();
        int[] split = SweepExecution.defaultSplit(cores);
        Integer fromProperty = Integer.getInteger("ai.djl.pytorch.num_threads");
        int threads = threadsPerRun != null ? threadsPerRun : fromProperty != null ? fromProperty : split[1];
        int runs = parallel != null ? parallel : Math.max(1, cores / Math.max(1, threads));
        try {
            return new SweepExecution(runs, threads, maxAttempts, SweepSetup.runJavaOptions(), null,
                    SweepWorkerMain.class.getName());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "sweep: " + e.getMessage(), e);
        }
    }

    private int writeReport(Path dir, SweepPlan plan, PrintWriter log, int exit) throws java.io.IOException {
        lastReport = FrontierReport.read(dir, plan);
        lastReport.write(dir);
        log.println();
        log.print(Files.readString(dir.resolve(FrontierReport.MARKDOWN)));
        log.printf("report: %s, %s, %s, %s%n", dir.resolve(FrontierReport.MARKDOWN), dir.resolve(FrontierReport.CSV),
                dir.resolve(FrontierReport.JSON), dir.resolve(FrontierReport.PNG));
        log.flush();
        return exit;
    }
}
