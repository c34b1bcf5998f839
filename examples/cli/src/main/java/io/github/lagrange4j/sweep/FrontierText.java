package io.github.lagrange4j.sweep;

import java.util.Locale;

/** The text forms of a {@link FrontierReport}: the Markdown table and the CSV of every run. */
final class FrontierText {

    private FrontierText() {}

    static String markdown(FrontierReport report) {
        StringBuilder b = new StringBuilder();
        long complete = report.rows().stream().filter(FrontierRow::complete).count();
        b.append("# Sweep: accuracy against deployed density\n\n");
        b.append(String.format(Locale.ROOT, "%d of %d runs complete%s.%n%n", complete, report.rows().size(),
                complete < report.rows().size() ? " (partial: the points below use the complete runs only)" : ""));
        b.append("| approach | eps / lambda | seeds done | final test error (%) | deployed kept (%) | budget met |\n");
        b.append("|---|---:|---:|---:|---:|---:|\n");
        for (FrontierPoint p : report.points()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %s | %s | %s |%n",
                    p.kind().name().toLowerCase(Locale.ROOT), PlannedRun.plain(p.value()), p.runs().size(),
                    p.seedsPlanned(), meanSd(p.meanError(), p.sdError()), meanSd(p.meanKept(), p.sdKept()),
                    p.kind() == RunKind.PENALIZED ? "(no budget)"
                            : p.runs().isEmpty() ? "—" : p.budgetsMet() + "/" + p.runs().size()));
        }
        b.append(report.denseError().isPresent()
                ? String.format(Locale.ROOT, "%nDense model: test error %.2f%% (%s).%n",
                        100 * report.denseError().getAsDouble(), report.denseSource())
                : "\nDense model: not measured (add --dense-epochs N or --dense-error PCT).\n");
        b.append("\nMean ± sample sd over the complete seeds; deployed kept = parameters of the compacted final model.\n");
        b.append("\n## Runs\n\n| run | status | epochs | final test error (%) | deployed kept (%) | expected density |\n");
        b.append("|---|---|---:|---:|---:|---:|\n");
        for (FrontierRow r : report.rows()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %s | %s | %s |%n", r.id(),
                    r.status().name().toLowerCase(Locale.ROOT), r.epochsDone(), r.totalEpochs(), pct(r.testError()),
                    r.kind() == RunKind.DENSE ? (r.complete() ? "100" : "—") : pct(r.keptFraction()),
                    r.kind() == RunKind.DENSE || Double.isNaN(r.expectedDensity()) ? "—"
                            : String.format(Locale.ROOT, "%.4f", r.expectedDensity())));
        }
        return b.toString();
    }

    static String csv(FrontierReport report) {
        StringBuilder b = new StringBuilder("run,kind,value,seed,status,epochs_done,total_epochs,test_error,"
                + "kept_fraction,expected_density,budget_met\n");
        for (FrontierRow r : report.rows()) {
            b.append(String.join(",", r.id(), r.kind().name(), r.kind() == RunKind.DENSE ? "" : num(r.value()),
                    Long.toString(r.seed()), r.status().name(), Integer.toString(r.epochsDone()),
                    Integer.toString(r.totalEpochs()), num(r.testError()), num(r.keptFraction()),
                    num(r.expectedDensity()), Boolean.toString(r.budgetMet()))).append('\n');
        }
        return b.toString();
    }

    private static String meanSd(double mean, double sd) {
        if (Double.isNaN(mean)) {
            return "—";
        }
        return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.2f", 100 * mean)
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * sd);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
