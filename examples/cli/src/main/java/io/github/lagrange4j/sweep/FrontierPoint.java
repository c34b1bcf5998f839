package io.github.lagrange4j.sweep;

import java.util.List;

/**
 * A point of the frontier: the complete runs of one ε (constrained) or one λ (penalized) over their seeds, with
 * the mean and sample standard deviation (NaN for fewer than two runs) of the final test error and of the
 * deployed kept fraction.
 *
 * @param kind constrained or penalized
 * @param value ε or λ
 * @param runs the complete runs, in seed order
 * @param seedsPlanned the seeds the grid has for the point
 */
public record FrontierPoint(RunKind kind, double value, List<FrontierRow> runs, int seedsPlanned) {

    /** Copies the runs. */
    public FrontierPoint {
        runs = List.copyOf(runs);
    }

    /**
     * Returns the mean final test error.
     *
     * @return the mean, NaN without runs
     */
    public double meanError() {
        return mean(runs.stream().mapToDouble(FrontierRow::testError).toArray());
    }

    /**
     * Returns the sample standard deviation of the final test error.
     *
     * @return the sd, NaN for fewer than two runs
     */
    public double sdError() {
        return sd(runs.stream().mapToDouble(FrontierRow::testError).toArray());
    }

    /**
     * Returns the mean deployed kept fraction.
     *
     * @return the mean, NaN without runs
     */
    public double meanKept() {
        return mean(runs.stream().mapToDouble(FrontierRow::keptFraction).toArray());
    }

    /**
     * Returns the sample standard deviation of the deployed kept fraction.
     *
     * @return the sd, NaN for fewer than two runs
     */
    public double sdKept() {
        return sd(runs.stream().mapToDouble(FrontierRow::keptFraction).toArray());
    }

    /**
     * Returns how many of the runs met their budget at the end (penalized runs have none and always count).
     *
     * @return the count
     */
    public long budgetsMet() {
        return runs.stream().filter(FrontierRow::budgetMet).count();
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
