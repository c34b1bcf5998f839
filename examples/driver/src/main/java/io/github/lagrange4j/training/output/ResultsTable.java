package io.github.lagrange4j.training.output;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The paper-style results table (model, approach, pruned architecture, density, best error, final error),
 * rendered as aligned plain text for the terminal and as a Markdown table for README.
 *
 * <p>Cells: density as a percentage with one decimal, errors as percentages with two decimals (rounded
 * half up), e.g. a row {@code ("MLP", "constrained ε = 0.33", "198-233-100", 0.342, 0.0136, 0.0177)}
 * renders {@code 34.2}, {@code 1.36}, {@code 1.77}. Text columns are left-aligned, numbers right-aligned.
 * Build it with {@link #of(List)}, or {@link Row#fromEpochs} to summarise a run's metrics.
 */
public final class ResultsTable {

    private static final String[] HEADER = {
        "Model", "Approach", "Pruned architecture", "Density (%)", "Best error (%)", "Final error (%)"
    };
    private static final boolean[] NUMERIC = {false, false, false, true, true, true};

    private final List<Row> rows;

    private ResultsTable(List<Row> rows) {
        this.rows = rows;
    }

    /**
     * Creates a table.
     *
     * @param rows the rows in display order, at least one
     * @return the table
     */
    public static ResultsTable of(List<Row> rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows must hold at least one row, got none");
        }
        rows.forEach(r -> Objects.requireNonNull(r, "rows must not contain null"));
        return new ResultsTable(List.copyOf(rows));
    }

    /** @return the rows in display order */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Renders the table as plain text: columns separated by two spaces, a dashed rule under the header,
     * every line ending in {@code \n}, no trailing spaces.
     *
     * @return the text table
     */
    public String toText() {
        List<String[]> cells = cells();
        int[] widths = widths(cells);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < HEADER.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                line.append(pad(cells.get(r)[c], widths[c], NUMERIC[c]));
            }
            sb.append(stripTrailing(line)).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int c = 0; c < HEADER.length; c++) {
                    if (c > 0) {
                        rule.append("  ");
                    }
                    rule.append("-".repeat(widths[c]));
                }
                sb.append(rule).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Renders the table as GitHub-flavoured Markdown with aligned pipes; numeric columns are
     * right-aligned ({@code ---:}). Pipes inside cells are escaped.
     *
     * @return the Markdown table
     */
    public String toMarkdown() {
        List<String[]> cells = cells();
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                row[c] = row[c].replace("|", "\\|");
            }
        }
        int[] widths = widths(cells);
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(widths[c], 4);
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            sb.append('|');
            for (int c = 0; c < HEADER.length; c++) {
                sb.append(' ').append(pad(cells.get(r)[c], widths[c], NUMERIC[c] && r > 0)).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|');
                for (int c = 0; c < HEADER.length; c++) {
                    String dashes = "-".repeat(widths[c] + (NUMERIC[c] ? 1 : 2));
                    sb.append(dashes).append(NUMERIC[c] ? ":" : "").append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    private List<String[]> cells() {
        List<String[]> cells = new ArrayList<>(rows.size() + 1);
        cells.add(HEADER.clone());
        for (Row row : rows) {
            cells.add(new String[] {
                row.model(), row.approach(), row.prunedArchitecture(),
                percent(row.density(), 1), percent(row.bestError(), 2), percent(row.finalError(), 2)
            });
        }
        return cells;
    }

    private static int[] widths(List<String[]> cells) {
        int[] widths = new int[HEADER.length];
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        return widths;
    }

    private static String pad(String cell, int width, boolean right) {
        String spaces = " ".repeat(width - cell.codePointCount(0, cell.length()));
        return right ? spaces + cell : cell + spaces;
    }

    private static String stripTrailing(CharSequence s) {
        return s.toString().stripTrailing();
    }

    private static String percent(double fraction, int decimals) {
        return new BigDecimal(Double.toString(fraction * 100.0))
                .setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
    }

    /**
     * One line of the table; fractions in [0, 1] (rendered as percentages).
     *
     * @param model the model, e.g. {@code MLP} or {@code LeNet-5-Caffe}
     * @param approach e.g. {@code penalized λ = 0.1/N} or {@code constrained ε = 0.33}
     * @param prunedArchitecture kept gates layer by layer, e.g. {@code 198-233-100}
     * @param density the density reached at the end, a fraction in [0, 1]
     * @param bestError the best test error over all epochs, a fraction in [0, 1]
     * @param finalError the test error of the last epoch, a fraction in [0, 1]
     */
    public record Row(String model, String approach, String prunedArchitecture,
            double density, double bestError, double finalError) {

        /** Validates the components. */
        public Row {
            requireCell("model", model);
            requireCell("approach", approach);
            requireCell("prunedArchitecture", prunedArchitecture);
            requireFraction("density", density);
            requireFraction("bestError", bestError);
            requireFraction("finalError", finalError);
        }

        /**
         * Summarises a run: the last epoch's pruned architecture and expected density (the "density
         * reached" of the NeurIPS 2022 results), the best error and the last epoch's test error. The best
         * error is chosen on validation when the run holds a validation split out: the test error of the
         * "best feasible" epoch (lowest validation error among the epochs whose deployed model meets the
         * budget; among all epochs if none does); without validation it is the minimum test error over all
         * epochs, as in the references.
         *
         * @param model the model's display name
         * @param approach the approach's display name
         * @param epochs the run's epochs, oldest first, at least one
         * @return the row
         */
        public static Row fromEpochs(String model, String approach, List<EpochMetrics> epochs) {
            Objects.requireNonNull(epochs, "epochs");
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException("epochs must hold at least one epoch, got none");
            }
            EpochMetrics last = epochs.get(epochs.size() - 1);
            // honest selection: with a validation split, the test error of the epoch with the best validation
            // error among those whose deployed model meets the budget (of all epochs if none does)
            java.util.Comparator<EpochMetrics> byValidation =
                    java.util.Comparator.comparingDouble(EpochMetrics::validationError);
            double best = epochs.stream().filter(m -> m.hasValidation() && m.budgetMet()).min(byValidation)
                    .or(() -> epochs.stream().filter(EpochMetrics::hasValidation).min(byValidation))
                    .map(EpochMetrics::testError)
                    .orElseGet(() -> epochs.stream().mapToDouble(EpochMetrics::testError).min().orElseThrow());
            return new Row(model, approach, last.prunedArchitecture(), last.expectedDensity(), best,
                    last.testError());
        }

        private static void requireCell(String name, String value) {
            if (value == null || value.isBlank() || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(name + " must be a non-blank single line, got " + value);
            }
        }

        private static void requireFraction(String name, double value) {
            if (!(value >= 0.0 && value <= 1.0)) {
                throw new IllegalArgumentException(name + " must be a fraction in [0, 1], got " + value);
            }
        }
    }
}
