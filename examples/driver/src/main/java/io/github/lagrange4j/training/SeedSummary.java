package io.github.lagrange4j.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Mean and sample standard deviation over the seeds of one configuration: final test error, deployed kept
 * fraction (of the final model, as compacted) and the test error of the best feasible epoch (chosen on
 * validation); one row per configuration, as Markdown ({@code results.md}) and JSON ({@code summary.json}).
 *
 * @param rows one per configuration (e.g. penalized and constrained), each over the same seeds
 */
public record SeedSummary(List<Row> rows) {

    /** Copies the rows. */
    public SeedSummary {
        rows = List.copyOf(rows);
    }

    /**
     * The runs of one configuration over several seeds.
     *
     * @param model the architecture's title
     * @param approach the approach label, e.g. {@code constrained eps = 0.33}
     * @param runs one per seed, in seed order
     */
    public record Row(String model, String approach, List<RunResult> runs) {

        /** Copies the runs. */
        public Row {
            runs = List.copyOf(runs);
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("a summary row needs at least one run");
            }
        }

        /**
         * Returns the seeds of the runs.
         *
         * @return the seeds
         */
        public long[] seeds() {
            return runs.stream().mapToLong(r -> r.settings().seed()).toArray();
        }

        /**
         * Returns the final test errors.
         *
         * @return one per run
         */
        public double[] finalTestErrors() {
            return runs.stream().mapToDouble(r -> r.last().testError()).toArray();
        }

        /**
         * Returns the deployed kept fractions of the final models.
         *
         * @return one per run
         */
        public double[] keptFractions() {
            return runs.stream().mapToDouble(RunResult::keptFraction).toArray();
        }

        /**
         * Returns the test errors of the best feasible epochs, of the runs that have one.
         *
         * @return one per run with a best feasible epoch
         */
        public double[] bestFeasibleTestErrors() {
            return runs.stream().map(RunResult::bestFeasibleEpoch).flatMap(Optional::stream)
                    .mapToDouble(EpochMetrics::testError).toArray();
        }

        /**
         * Returns how many final models meet the budget.
         *
         * @return the count
         */
        public long budgetsMet() {
            return runs.stream().filter(r -> r.last().budgetMet()).count();
        }
    }

    /**
     * Returns the mean.
     *
     * @param values the values, at least one
     * @return the mean
     */
    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * Returns the sample standard deviation (divisor {@code n − 1}); 0 for a single value.
     *
     * @param values the values, at least one
     * @return the standard deviation
     */
    public static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    private static String percent(double[] values) {
        return values.length == 0 ? "—"
                : String.format(Locale.ROOT, "%.2f ± %.2f%%", 100 * mean(values), 100 * sd(values));
    }

    /**
     * Renders the table as Markdown.
     *
     * @return the table, with a header and one line per row
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | approach | seeds | final test error | deployed kept | best-feasible test error"
                + " (validation-selected) | final budget met |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            List<String> seeds = new ArrayList<>();
            for (long s : row.seeds()) {
                seeds.add(Long.toString(s));
            }
            sb.append("| ").append(row.model()).append(" | ").append(row.approach()).append(" | ")
                    .append(String.join(", ", seeds)).append(" | ").append(percent(row.finalTestErrors()))
                    .append(" | ").append(percent(row.keptFractions())).append(" | ")
                    .append(percent(row.bestFeasibleTestErrors())).append(" | ").append(row.budgetsMet()).append('/')
                    .append(row.runs().size()).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Renders the summary as JSON: per row the seeds, each statistic's values, mean and sd, and the run
     * directories.
     *
     * @param base the directory the run directories are given relative to
     * @return pretty-printed JSON
     */
    public String toJson(java.nio.file.Path base) {
        JsonArray out = new JsonArray();
        for (Row row : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("model", row.model());
            o.addProperty("approach", row.approach());
            JsonArray seeds = new JsonArray();
            for (long s : row.seeds()) {
                seeds.add(s);
            }
            o.add("seeds", seeds);
            o.add("finalTestError", statistic(row.finalTestErrors()));
            o.add("keptFraction", statistic(row.keptFractions()));
            o.add("bestFeasibleTestError", statistic(row.bestFeasibleTestErrors()));
            o.addProperty("budgetsMet", row.budgetsMet());
            JsonArray dirs = new JsonArray();
            row.runs().forEach(r -> dirs.add(base.toAbsolutePath().relativize(r.runDirectory().toAbsolutePath())
                    .toString().replace('\\', '/')));
            o.add("runDirectories", dirs);
            out.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("rows", out);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject statistic(double[] values) {
        JsonObject o = new JsonObject();
        JsonArray all = new JsonArray();
        for (double v : values) {
            all.add(v);
        }
        o.add("values", all);
        if (values.length > 0) {
            o.addProperty("mean", mean(values));
            o.addProperty("sd", sd(values));
        }
        return o;
    }
}
