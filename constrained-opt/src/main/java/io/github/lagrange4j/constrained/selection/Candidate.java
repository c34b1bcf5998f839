package io.github.lagrange4j.constrained.selection;

import io.github.lagrange4j.constrained.feasibility.ConstraintVerdict;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import java.util.List;

/**
 * One saved snapshot of a run, as candidate selection sees it: its objective {@code f} and its
 * {@code m} constraint values {@code g_j} (feasible when {@code <= 0}), measured on the same data
 * for every snapshot (e.g. a validation set).
 *
 * @param objective {@code f}, finite
 * @param constraints {@code g_1..g_m}, finite (copied)
 */
public record Candidate(double objective, double[] constraints) {

    /** Validates and copies. */
    public Candidate {
        if (!Double.isFinite(objective)) {
            throw new IllegalArgumentException("objective must be finite, got " + objective);
        }
        if (constraints == null) {
            throw new IllegalArgumentException("constraints must not be null");
        }
        constraints = constraints.clone();
        for (double g : constraints) {
            if (!Double.isFinite(g)) {
                throw new IllegalArgumentException("constraint values must be finite, got " + g);
            }
        }
    }

    /**
     * A candidate from a feasibility report: each entry's residual (strict value less slack, or
     * {@code |h|} for an equality) less its tolerance, in the report's order.
     *
     * @param objective {@code f}
     * @param report the verdicts of the snapshot
     * @return the candidate
     */
    public static Candidate of(double objective, FeasibilityReport report) {
        List<ConstraintVerdict> v = report.verdicts();
        double[] g = new double[v.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = v.get(i).residual() - v.get(i).tolerance();
        }
        return new Candidate(objective, g);
    }

    /**
     * Returns a copy of the constraint values.
     *
     * @return {@code g}
     */
    @Override
    public double[] constraints() {
        return constraints.clone();
    }

    /**
     * Returns {@code max(0, max_j g_j)}: 0 for a feasible candidate.
     *
     * @return the largest violation
     */
    public double maxViolation() {
        double worst = 0;
        for (double g : constraints) {
            worst = Math.max(worst, g);
        }
        return worst;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Candidate c && Double.compare(c.objective, objective) == 0
                && java.util.Arrays.equals(c.constraints, constraints);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(objective) + java.util.Arrays.hashCode(constraints);
    }

    @Override
    public String toString() {
        return "Candidate[f=" + objective + ", g=" + java.util.Arrays.toString(constraints) + "]";
    }
}
