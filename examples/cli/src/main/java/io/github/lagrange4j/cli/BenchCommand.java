package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.DenseTrainer;
import io.github.lagrange4j.training.GemmCheck;
import io.github.lagrange4j.training.KernelCheck;
import io.github.lagrange4j.training.NativeAllocator;
import io.github.lagrange4j.training.ResidentMemory;
import io.github.lagrange4j.training.RunCheckpoints;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityTrainer;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
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
 * {@code lagrange4j bench}: measures training speed and native memory. Trains a gated model with the
 * paper preset of its model and approach ({@link RunSettings#paper}), {@code --epochs} and
 * {@code --train-subset} overridden, and writes nothing: no run directory, no checkpoints, no plots.
 *
 * <p>Per epoch it prints the wall time (training, then the test-set evaluation that ends every epoch), the
 * training images per second of that time, the resident size and the Java heap in use. The summary leaves
 * out the warm-up epoch 1: the median epoch time over epochs 2..N with its throughput, the resident size
 * after epoch 1 and after epoch N, and the native-memory growth, the least-squares slope of the resident
 * size over epochs 2..N in MB per epoch, with the native allocator it ran with
 * ({@link NativeAllocator}: the launcher preloads jemalloc; with glibc's malloc the resident size grows). With
 * {@code --max-growth-mb-per-epoch} a faster growth fails the command (exit code 1, after the summary).
 * The last result is kept for callers that run the command in-process ({@link #lastResult()}).
 *
 * <p>Size: a little over 300 lines: the options, the header naming everything that decides the speed (engine,
 * threads, OpenMP wait policy, allocator, kernels) and the two-column report are one command's output.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training speed and native memory per epoch (paper preset; writes no files).",
                "Epoch 1 is warm-up: the summary (median epoch time, images/s, resident-size growth per epoch)"
                        + " is over epochs 2..N."})
public final class BenchCommand implements Callable<Integer> {

    private static final long MEGABYTE = 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Mixin
    private TrainingSetup setup;

    @Option(names = "--model", defaultValue = "MLP", paramLabel = "MODEL",
            description = "Architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ModelKind model = ModelKind.MLP;

    @Option(names = "--approach", defaultValue = "CONSTRAINED", paramLabel = "A",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Approach approach = Approach.CONSTRAINED;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
            description = "Epochs, >= 3: one warm-up and at least two measured (default: ${DEFAULT-VALUE}).")
    private int epochs = 10;

    @Option(names = "--train-subset", paramLabel = "N",
            description = "Use the first N training images, 0 <= N <= 60000 (default: 0 = all).")
    private Integer trainSubset;

    @Option(names = "--max-growth-mb-per-epoch", paramLabel = "MB",
            description = "Exit with status 1 if the resident size grows faster than MB per epoch over epochs"
                    + " 2..N (default: no limit).")
    private Double maxGrowth;

    @Option(names = "--from-run", paramLabel = "DIR",
            description = "Start from the newest valid checkpoint of run directory DIR, with its settings (--model"
                    + " and --approach are then the run's): times the late phase, e.g. a network at its budget."
                    + " Nothing is written to DIR.")
    private java.nio.file.Path fromRun;

    @Option(names = "--no-dense", description = "Do not time the dense network of the same architecture beside"
            + " each epoch (default: it is timed, and the summary gives the gated/dense ratio).")
    private boolean noDense;

    @Option(names = "--no-sparse-compute", description = "Compute every gated layer densely (default: layers whose"
            + " gate sample leaves few groups alive compute over the live groups only).")
    private boolean noSparseCompute;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "After the timed epochs, train one more epoch under PyTorch's operator profiler: write its"
                    + " trace to FILE (Chrome trace JSON) and print the operations dispatched per training step"
                    + " and where the time went; then the same for one more dense epoch (unless --no-dense), its"
                    + " trace beside FILE with -dense before the extension. Not counted in the statistics"
                    + " (profiling slows the epoch).")
    private java.nio.file.Path profile;

    private BenchResult lastResult;

    /**
     * Returns the result of the last completed benchmark of this command object (also when it exceeded
     * {@code --max-growth-mb-per-epoch}).
     *
     * @return the result, or null if none
     */
    public BenchResult lastResult() {
        return lastResult;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        RunSettings settings = settings(commandLine);
        PrintWriter out = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, settings.data().dataset().label(),
                settings.model().architecture(), true, out);
        Engine engine = env.engine();
        Device device = env.device();
        IdxFileSet files = env.files();
        String engineLabel = engine.getEngineName() + " " + engine.getVersion();
        if (profile != null && !"PyTorch".equals(engine.getEngineName())) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--profile': it needs the"
                    + " PyTorch engine (PyTorch's operator profiler), not " + engine.getEngineName());
        }
        if (profile != null && java.nio.file.Files.isDirectory(profile)) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--profile': " + profile
                    + " is a directory (give the trace file to write)");
        }
        if (profile != null && !noDense && java.nio.file.Files.isDirectory(denseTrace(profile))) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--profile': the dense"
                    + " epoch's trace " + denseTrace(profile) + " is a directory");
        }
        String allocator = NativeAllocator.describe();

        List<BenchResult.Epoch> rows = new ArrayList<>();
        int trainExamples;
        try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, device, files);
                DenseTrainer dense = noDense ? null : new DenseTrainer(settings.model().architecture(),
                        settings.optimization().batchSize(), settings.optimization().primalLearningRate(),
                        settings.seed(), settings.data().trainSubset(), engine, device, files)) {
            trainer.setSparseCompute(!noSparseCompute);
            int startEpoch = 0;
            if (fromRun != null) {
                startEpoch = RunCheckpoints.restoreNewest(trainer, fromRun, w -> out.println("warning: " + w));
            }
            trainExamples = trainer.trainExamples();
            out.printf(Locale.ROOT, "bench: %s, %s, %s, %d epochs of %d training images (batch %d);"
                            + " %s on %s, %d CPUs, %s; %s; %s; %s; sparse compute %s; Adam %s; gates in closed form, %s%n",
                    settings.model().architecture().title(),
                    settings.objective().label(), fromRun == null ? "paper preset"
                            : "from " + fromRun + " after epoch " + startEpoch + " (expected density "
                                    + String.format(Locale.ROOT, "%.3f", NetworkAccount.of(trainer.network())
                                            .expectedDensity()) + ")",
                    epochs, trainExamples, settings.optimization().batchSize(), engineLabel, device,
                    Runtime.getRuntime().availableProcessors(), allocator, KernelCheck.describeSetting(),
                    GemmCheck.describeSetting(), describeThreads(env.threads()), noSparseCompute ? "off" : "on",
                    StatefulAdam.describeFusedUpdate(),
                    io.github.lagrange4j.l0.gate.HardConcrete.describeClosedForm());
            out.flush();
            long[] sparseBefore = sparseForwards(trainer.network());
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long jit = compilationMillis();
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                double density = trainer.trainEpoch(startEpoch + epoch).expectedDensity();
                long wall = System.nanoTime() - start;
                double cpuPercent = percent(processCpuNanos() - cpu, wall, cpu);
                long jitAfter = compilationMillis();
                double compileSeconds = jit < 0 || jitAfter < 0 ? Double.NaN : (jitAfter - jit) / 1e3;
                long[] sparseAfter = sparseForwards(trainer.network());
                List<Long> sparsePasses = new ArrayList<>();
                if (!noSparseCompute) {
                    for (int k = 0; k < sparseAfter.length; k++) {
                        sparsePasses.add(sparseAfter[k] - sparseBefore[k]);
                    }
                }
                sparseBefore = sparseAfter;
                double denseSeconds = Double.NaN;
                double denseCpu = Double.NaN;
                if (dense != null) {
                    long denseCpuStart = processCpuNanos();
                    long denseStart = System.nanoTime();
                    dense.trainEpoch(startEpoch + epoch);
                    dense.testError();
                    long denseWall = System.nanoTime() - denseStart;
                    denseSeconds = denseWall / 1e9;
                    denseCpu = percent(processCpuNanos() - denseCpuStart, denseWall, denseCpuStart);
                }
                double seconds = wall / 1e9;
                BenchResult.Epoch row = new BenchResult.Epoch(epoch, seconds, trainExamples / seconds,
                        ResidentMemory.megabytes(), heapUsedMegabytes(), cpuPercent, density, denseSeconds,
                        denseCpu, compileSeconds, sparsePasses);
                rows.add(row);
                out.println(describe(row, epochs));
                out.flush();
            }
            if (profile != null) {
                int extra = startEpoch + epochs + 1;
                long steps = (trainer.trainExamples() + settings.optimization().batchSize() - 1)
                        / settings.optimization().batchSize();
                profileEpoch("", profile, steps, () -> trainer.trainEpoch(extra), engine, out);
                if (dense != null) {
                    profileEpoch(" of the dense network", denseTrace(profile), steps, () -> {
                        dense.trainEpoch(extra);
                        dense.testError();
                    }, engine, out);
                }
            }
        }
        BenchResult result = new BenchResult(engineLabel, device.toString(), settings, trainExamples, allocator, rows);
        lastResult = result;
        printSummary(result, out);
        return checkGrowth(result, commandLine);
    }

    /** Each gated layer's count of sparse training passes so far. */
    private static long[] sparseForwards(GatedNetwork network) {
        return network.layers().stream().mapToLong(GatedLayer::sparseForwards).toArray();
    }

    /**
     * One epoch's line: wall time, images/s, CPU utilisation, expected density, the dense epoch beside it, the
     * resident size and heap, the JIT compilers' time and each gated layer's sparse passes.
     */
    static String describe(BenchResult.Epoch row, int epochs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %3d/%d  %8.2f s  %8.0f images/s  cpu %4.0f%%  density %.3f", row.epoch(), epochs,
                row.seconds(), row.imagesPerSecond(), row.cpuPercent(), row.expectedDensity()));
        if (!Double.isNaN(row.denseSeconds())) {
            line.append(String.format(Locale.ROOT, "  | dense %6.2f s  cpu %4.0f%%  gated/dense %.2f",
                    row.denseSeconds(), row.denseCpuPercent(), row.seconds() / row.denseSeconds()));
        }
        line.append(String.format(Locale.ROOT, "  rss %s  heap %d MB", megabytes(row.rssMegabytes()),
                row.heapUsedMegabytes()));
        if (!Double.isNaN(row.compileSeconds())) {
            line.append(String.format(Locale.ROOT, "  jit %.2f s", row.compileSeconds()));
        }
        if (!row.sparsePasses().isEmpty()) {
            line.append("  sparse passes ").append(row.sparsePasses().stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining("-")));
        }
        return line.toString();
    }

    /**
     * Trains one epoch under PyTorch's operator profiler, writes its trace to {@code trace} and prints the native
     * operations per step and the twelve that took the most time.
     */
    private static void profileEpoch(String what, java.nio.file.Path trace, long steps, Runnable epoch, Engine engine,
            PrintWriter out) throws java.io.IOException {
        OperatorProfile.start(engine);
        long start = System.nanoTime();
        try {
            epoch.run();
        } finally {
            double seconds = (System.nanoTime() - start) / 1e9;
            OperatorProfile.Summary p = OperatorProfile.stop(trace);
            out.printf(Locale.ROOT, "profile%s (one more epoch, %.2f s under the profiler; trace in %s):%n", what,
                    seconds, trace);
            out.printf(Locale.ROOT, "  %.1f top-level native operations per training step (%d in %d steps, the"
                    + " test evaluation included), %.2f s of the %.2f s from first to last%n",
                    (double) p.calls() / steps, p.calls(), steps, p.micros() / 1e6, p.spanMicros() / 1e6);
            for (OperatorProfile.Row row : p.rows().subList(0, Math.min(12, p.rows().size()))) {
                out.printf(Locale.ROOT, "  %5.1f%%  %6.2f/step  %8.1f us/call  %s%n", 100 * row.micros() / p.micros(),
                        (double) row.calls() / steps, row.micros() / row.calls(), row.name());
            }
            out.flush();
        }
    }

    /** The dense epoch's trace: {@code trace} with {@code -dense} before its extension (or at its end). */
    static java.nio.file.Path denseTrace(java.nio.file.Path trace) {
        String name = trace.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String dense = dot > 0 ? name.substring(0, dot) + "-dense" + name.substring(dot) : name + "-dense";
        return trace.resolveSibling(dense);
    }

    private RunSettings settings(CommandLine commandLine) {
        if (epochs < BenchResult.WARM_UP_EPOCHS + 2) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--epochs': " + epochs
                    + " (must be >= 3: epoch 1 is warm-up, the statistics need two more)");
        }
        if (trainSubset != null && (trainSubset < 0 || trainSubset > 60_000)) {
            throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--train-subset': "
                    + trainSubset + " (must be in [0, 60000], 0 = all)");
        }
        if (maxGrowth != null && !(maxGrowth >= 0 && Double.isFinite(maxGrowth))) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--max-growth-mb-per-epoch': " + maxGrowth + " (must be >= 0 and finite)");
        }
        RunSettings base = RunSettings.paper(model, approach);
        if (fromRun != null) {
            try {
                base = RunCheckpoints.settings(fromRun);
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--from-run': "
                        + e.getMessage());
            }
        }
        // from a run, epochs continue after its checkpoint (at most the run's own epoch count)
        int benchEpochs = (fromRun == null ? epochs : base.schedule().epochs() + epochs) + (profile != null ? 1 : 0);
        // as benchmarked: all training images (or --train-subset), no validation pass
        return base.withSchedule(s -> s.withEpochs(benchEpochs)).withData(d -> d.withValidationSize(0)
                .withTrainSubset(trainSubset != null ? trainSubset : d.trainSubset()));
    }

    private static void printSummary(BenchResult r, PrintWriter out) {
        int n = r.epochs().size();
        out.printf(Locale.ROOT, "summary (epoch 1 is warm-up; statistics over epochs 2..%d):%n", n);
        out.printf(Locale.ROOT, "  engine            %s on %s%n", r.engine(), r.device());
        out.printf(Locale.ROOT, "  median epoch      %.2f s (%.0f training images/s), CPU %.0f%% of one core%n",
                r.medianEpochSeconds(), r.imagesPerSecond(), r.medianCpuPercent());
        if (!Double.isNaN(r.medianDenseEpochSeconds())) {
            out.printf(Locale.ROOT, "  dense epoch       %.2f s (%.0f training images/s), CPU %.0f%% of one core"
                            + " (the same architecture ungated: same data path, batch and Adam)%n",
                    r.medianDenseEpochSeconds(), r.trainExamples() / r.medianDenseEpochSeconds(),
                    r.medianDenseCpuPercent());
            out.printf(Locale.ROOT, "  gated / dense     %.2f (median of the per-epoch ratios, each pair back to"
                    + " back)%n", r.medianGatedToDenseRatio());
        }
        out.printf(Locale.ROOT, "  expected density  %.3f after epoch 1, %.3f after epoch %d%n",
                r.epochs().get(0).expectedDensity(), r.epochs().get(n - 1).expectedDensity(), n);
        out.printf(Locale.ROOT, "  resident size     %s after epoch 1, %s after epoch %d%n",
                megabytes(r.rssAfterFirstEpochMegabytes()), megabytes(r.rssAfterLastEpochMegabytes()), n);
        double growth = r.growthMegabytesPerEpoch();
        boolean fixedHeap = heapPreTouched();
        out.printf(Locale.ROOT, "  %s %s (least-squares slope of the resident size over epochs 2..%d%s)%n",
                fixedHeap ? "native growth    " : "resident growth  ",
                Double.isNaN(growth) ? "unknown (no /proc/self/status)" : String.format(Locale.ROOT,
                        "%+.1f MB/epoch", growth), n,
                fixedHeap ? "; Java heap fixed and pre-touched"
                        : "; Java heap included: run with -Xms equal to -Xmx and -XX:+AlwaysPreTouch, as the"
                                + " launcher does, to measure native memory alone");
        out.printf(Locale.ROOT, "  allocator         %s%n", r.allocator());
        out.flush();
    }

    private int checkGrowth(BenchResult r, CommandLine commandLine) {
        if (maxGrowth == null) {
            return 0;
        }
        double growth = r.growthMegabytesPerEpoch();
        PrintWriter err = commandLine.getErr();
        if (Double.isNaN(growth)) {
            err.println("error: --max-growth-mb-per-epoch cannot be checked: the resident size cannot be read here"
                    + " (no /proc/self/status)");
            err.flush();
            return 1;
        }
        if (growth > maxGrowth) {
            err.printf(Locale.ROOT, "error: the resident size grew %.1f MB per epoch over epochs 2..%d, more than"
                    + " --max-growth-mb-per-epoch %s%n", growth, r.epochs().size(), maxGrowth);
            err.flush();
            return 1;
        }
        PrintWriter out = commandLine.getOut();
        out.printf(Locale.ROOT, "  growth limit      %.1f MB/epoch <= %s: ok%n", growth, maxGrowth);
        out.flush();
        return 0;
    }

    /**
     * Tells whether the Java heap is fixed and resident from the start ({@code -XX:+AlwaysPreTouch} with
     * {@code -Xms} equal to {@code -Xmx}), so that the resident size grows only with native memory.
     */
    static boolean heapPreTouched() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("AlwaysPreTouch").getValue())
                    && heap.getMax() > 0 && heap.getInit() == heap.getMax();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Describes the engine's intra-op threads as the set-up chose them for the model ({@link IntraOpThreads}) and
     * the OpenMP wait policy with the launcher's reason for it (threads spin briefly on an idle machine, sleep on
     * a busy one).
     */
    static String describeThreads(IntraOpThreads.Choice threads) {
        String policy = System.getenv("OMP_WAIT_POLICY");
        String spin = System.getenv("GOMP_SPINCOUNT");
        String why = System.getenv("LAGRANGE4J_OMP");
        return "intra-op threads " + threads.describe() + ", OMP_WAIT_POLICY " + (policy == null ? "unset" : policy)
                + (spin == null ? "" : ", GOMP_SPINCOUNT " + spin) + (why == null ? "" : " (" + why + ")");
    }

    /**
     * The time the JVM's just-in-time compilers have spent so far, in milliseconds, or -1 if the JVM cannot tell:
     * their threads share the cores with the engine's, so an epoch in which they compile runs slower.
     */
    private static long compilationMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** The CPU time of this process so far, in nanoseconds, or -1 if the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double percent(long cpuNanos, long wallNanos, long start) {
        return start < 0 || cpuNanos < 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
    }

    private static long heapUsedMegabytes() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / MEGABYTE;
    }

    private static String megabytes(long value) {
        return value < 0 ? "n/a" : value + " MB";
    }
}
