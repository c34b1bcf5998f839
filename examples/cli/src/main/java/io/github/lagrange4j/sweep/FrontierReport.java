package io.github.lagrange4j.sweep;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The accuracy-sparsity frontier of a sweep, finished or partial: one {@link FrontierRow} per planned run, one
 * {@link FrontierPoint} per ε and per λ over the complete runs, and the dense model's error (the mean over the
 * sweep's complete dense runs, else the value the grid was given, else none).
 *
 * <p>{@link #write} puts {@code results.md} (the points, then every run), {@code frontier.csv} (every run),
 * {@code frontier.json} (runs, points, dense error) and {@code frontier.png} ({@link FrontierPlot}) into the sweep
 * directory, each atomically. The kept fraction is the last epoch's kept parameters after compaction over the
 * gated model's parameters.
 *
 * @param plan the sweep's plan
 * @param rows one per planned run, in plan order
 * @param points the constrained points by ε, then the penalized points by λ
 * @param denseError the dense model's test error, if known
 * @param denseSource where the dense error comes from
 */
public record FrontierReport(SweepPlan plan, List<FrontierRow> rows, List<FrontierPoint> points,
        OptionalDouble denseError, String denseSource) {

    /** The table. */
    public static final String MARKDOWN = "results.md";
    /** Every run's line. */
    public static final String CSV = "frontier.csv";
    /** Runs, points and the dense error. */
    public static final String JSON = "frontier.json";
    /** The plot. */
    public static final String PNG = "frontier.png";

    /** Copies the lists. */
    public FrontierReport {
        rows = List.copyOf(rows);
        points = List.copyOf(points);
    }

    /**
     * Reads every run of a sweep directory.
     *
     * @param sweepDirectory the sweep directory
     * @param plan its plan
     * @return the report
     * @throws IOException if a run's files cannot be read
     */
    public static FrontierReport read(Path sweepDirectory, SweepPlan plan) throws IOException {
        Map<ModelKind, Long> totals = new EnumMap<>(ModelKind.class);
        List<FrontierRow> rows = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            rows.add(row(sweepDirectory.resolve(run.id()), run, totals));
        }
        Map<String, List<FrontierRow>> groups = new LinkedHashMap<>();
        Map<String, Integer> planned = new LinkedHashMap<>();
        for (FrontierRow r : rows) {
            if (r.kind() == RunKind.DENSE) {
                continue;
            }
            String key = r.kind() + " " + r.value();
            groups.computeIfAbsent(key, k -> new ArrayList<>());
            planned.merge(key, 1, Integer::sum);
            if (r.complete()) {
                groups.get(key).add(r);
            }
        }
        List<FrontierPoint> points = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            String key = run.kind() + " " + (run.value() == null ? Double.NaN : run.value());
            if (groups.containsKey(key)) {
                points.add(new FrontierPoint(run.kind(), run.value(), groups.remove(key), planned.get(key)));
            }
        }
        double[] dense = rows.stream().filter(r -> r.kind() == RunKind.DENSE && r.complete())
                .mapToDouble(FrontierRow::testError).toArray();
        OptionalDouble denseError = OptionalDouble.empty();
        String source = "none";
        if (dense.length > 0) {
            denseError = OptionalDouble.of(FrontierPoint.mean(dense));
            source = "dense runs of the sweep (" + dense.length + " seed" + (dense.length > 1 ? "s" : "") + ")";
        } else if (plan.grid().denseError() != null) {
            denseError = OptionalDouble.of(plan.grid().denseError());
            source = "--dense-error";
        }
        return new FrontierReport(plan, rows, points, denseError, source);
    }

    private static FrontierRow row(Path dir, PlannedRun run, Map<ModelKind, Long> totals) throws IOException {
        RunProgress progress = RunProgress.of(run, dir);
        double value = run.value() == null ? Double.NaN : run.value();
        if (run.kind() == RunKind.DENSE) {
            double error = Double.NaN;
            if (progress.complete()) {
                JsonObject o = new GsonBuilder().create().fromJson(
                        Files.readString(dir.resolve(PlannedRun.DENSE_RESULT)), JsonObject.class);
                error = o.get("testError").getAsDouble();
            }
            return new FrontierRow(run.id(), run.kind(), value, run.seed(), progress.status(), progress.epochsDone(),
                    progress.totalEpochs(), error, 1, 1, true);
        }
        Path jsonl = dir.resolve(MetricsLog.JSONL_FILE);
        List<EpochMetrics> epochs = progress.epochsDone() > 0 ? MetricsLog.read(jsonl) : List.of();
        if (epochs.isEmpty()) {
            return new FrontierRow(run.id(), run.kind(), value, run.seed(), progress.status(), 0,
                    progress.totalEpochs(), Double.NaN, Double.NaN, Double.NaN, false);
        }
        EpochMetrics last = epochs.get(epochs.size() - 1);
        long total = totals.computeIfAbsent(run.settings().model().architecture(), FrontierReport::gatedParameters);
        return new FrontierRow(run.id(), run.kind(), value, run.seed(), progress.status(), epochs.size(),
                progress.totalEpochs(), last.testError(), (double) last.keptParameters() / total,
                last.expectedDensity(), last.budgetMet());
    }

    /**
     * Returns the parameters of a gated model's layers (the denominator of the kept fraction), as the training
     * counts them.
     *
     * @param kind the architecture
     * @return the weights and biases of its gated layers
     */
    public static long gatedParameters(ModelKind kind) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = kind.build(true, false);
            block.initialize(manager, DataType.FLOAT32, kind.inputShape(1));
            return GatedNetwork.of(block).totalParameters();
        }
    }

    /**
     * Writes {@code results.md}, {@code frontier.csv}, {@code frontier.json} and {@code frontier.png}.
     *
     * @param sweepDirectory the sweep directory
     * @throws IOException if a file cannot be written
     */
    public void write(Path sweepDirectory) throws IOException {
        AtomicFiles.writeText(sweepDirectory.resolve(MARKDOWN), FrontierText.markdown(this));
        AtomicFiles.writeText(sweepDirectory.resolve(CSV), FrontierText.csv(this));
        AtomicFiles.writeText(sweepDirectory.resolve(JSON), toJson());
        AtomicFiles.writePng(sweepDirectory.resolve(PNG), FrontierPlot.render(this));
    }

    /**
     * Returns the report as JSON: {@code runs}, {@code points} and {@code denseError}.
     *
     * @return the text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        JsonArray runs = new JsonArray();
        for (FrontierRow r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("id", r.id());
            o.addProperty("kind", r.kind().name());
            o.addProperty("value", r.kind() == RunKind.DENSE ? null : r.value());
            o.addProperty("seed", r.seed());
            o.addProperty("status", r.status().name());
            o.addProperty("epochsDone", r.epochsDone());
            o.addProperty("totalEpochs", r.totalEpochs());
            o.addProperty("testError", finite(r.testError()));
            o.addProperty("keptFraction", finite(r.keptFraction()));
            o.addProperty("expectedDensity", finite(r.expectedDensity()));
            o.addProperty("budgetMet", r.budgetMet());
            runs.add(o);
        }
        JsonArray pts = new JsonArray();
        for (FrontierPoint p : points) {
            JsonObject o = new JsonObject();
            o.addProperty("kind", p.kind().name());
            o.addProperty("value", p.value());
            o.addProperty("runs", p.runs().size());
            o.addProperty("seedsPlanned", p.seedsPlanned());
            o.addProperty("meanTestError", finite(p.meanError()));
            o.addProperty("sdTestError", finite(p.sdError()));
            o.addProperty("meanKeptFraction", finite(p.meanKept()));
            o.addProperty("sdKeptFraction", finite(p.sdKept()));
            o.addProperty("budgetsMet", p.budgetsMet());
            pts.add(o);
        }
        root.add("runs", runs);
        root.add("points", pts);
        root.addProperty("denseError", denseError.isPresent() ? denseError.getAsDouble() : null);
        root.addProperty("denseSource", denseSource);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
