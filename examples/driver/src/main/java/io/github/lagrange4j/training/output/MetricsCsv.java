package io.github.lagrange4j.training.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The CSV rendering of a run's epochs (RFC 4180, {@code \n} line ends, header first).
 *
 * <p>Fixed columns: {@code epoch, train_loss, test_error, expected_density, deterministic_density,
 * pruned_architecture, kept_parameters, kept_macs, seconds, phase, validation_error, budget_met}; then one column per constraint name seen in
 * any epoch, in name order, for each family: {@code target:<name>}, {@code multiplier:<name>},
 * {@code violation:<name>}. A value an epoch does not have is an empty cell. Numbers are written with
 * {@link Double#toString(double)}, which reads back to the identical double.
 */
final class MetricsCsv {

    static final List<String> FIXED_COLUMNS = List.of(
            "epoch", "train_loss", "test_error", "expected_density", "deterministic_density",
            "pruned_architecture", "kept_parameters", "kept_macs", "seconds", "phase", "validation_error",
            "budget_met");

    private MetricsCsv() {}

    /** Renders the header and one row per epoch. */
    static String render(List<EpochMetrics> epochs) {
        SortedSet<String> targets = names(epochs, EpochMetrics::targetDensities);
        SortedSet<String> multipliers = names(epochs, EpochMetrics::multipliers);
        SortedSet<String> violations = names(epochs, EpochMetrics::violations);

        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        targets.forEach(n -> header.add("target:" + n));
        multipliers.forEach(n -> header.add("multiplier:" + n));
        violations.forEach(n -> header.add("violation:" + n));

        StringBuilder sb = new StringBuilder();
        appendRow(sb, header);
        for (EpochMetrics m : epochs) {
            List<String> row = new ArrayList<>(header.size());
            row.add(Integer.toString(m.epoch()));
            row.add(Double.toString(m.trainLoss()));
            row.add(Double.toString(m.testError()));
            row.add(Double.toString(m.expectedDensity()));
            row.add(Double.toString(m.deterministicDensity()));
            row.add(m.prunedArchitecture());
            row.add(Long.toString(m.keptParameters()));
            row.add(Long.toString(m.keptMacs()));
            row.add(Double.toString(m.seconds()));
            row.add(m.phase());
            row.add(m.hasValidation() ? Double.toString(m.validationError()) : "");
            row.add(Boolean.toString(m.budgetMet()));
            targets.forEach(n -> row.add(cell(m.targetDensities(), n)));
            multipliers.forEach(n -> row.add(cell(m.multipliers(), n)));
            violations.forEach(n -> row.add(cell(m.violations(), n)));
            appendRow(sb, row);
        }
        return sb.toString();
    }

    private static SortedSet<String> names(
            List<EpochMetrics> epochs, Function<EpochMetrics, Map<String, Double>> family) {
        SortedSet<String> names = new TreeSet<>();
        epochs.forEach(m -> names.addAll(family.apply(m).keySet()));
        return names;
    }

    private static String cell(Map<String, Double> values, String name) {
        Double value = values.get(name);
        return value == null ? "" : Double.toString(value);
    }

    private static void appendRow(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells.get(i)));
        }
        sb.append('\n');
    }

    /** Quotes a cell holding a comma, a quote or a line break, doubling inner quotes (RFC 4180). */
    static String quote(String cell) {
        boolean needsQuotes = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0
                || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0;
        return needsQuotes ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
