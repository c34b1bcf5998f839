package io.github.lagrange4j.constrained.selection;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Picks what to deploy from the snapshots of a run whose primal-dual iterates oscillate (non-convex
 * games need not converge to one point): the best single snapshot, or the best distribution over
 * them (Cotter, Jiang, Sridharan, "Two-player games for efficient non-convex constrained
 * optimization", ALT 2019, Lemma 3 and section 4; TFCO's "shrinking").
 *
 * <p>{@link #bestIndex}: rank by violation, then by objective: among the candidates with the
 * smallest largest violation {@code max(0, max_j g_j)} (all feasible ones, if any), the one with the
 * smallest objective; ties go to the earliest.
 *
 * <p>{@link #bestDistribution}: two linear programs over the probability simplex {@code p}, solved
 * by Commons Math's {@link SimplexSolver}: first the smallest achievable expected violation
 * {@code eps* = max(0, min_p max_j sum_i p_i g_ji)}; then {@code min_p sum_i p_i f_i s.t. sum_i p_i
 * g_ji <= eps*} for every {@code j}. A vertex solution has at most {@code m + 1} non-zero
 * probabilities ({@code m} constraint rows and the simplex row).
 */
public final class CandidateSelection {

    private static final double LP_EPSILON = 1e-9;

    private CandidateSelection() {}

    /**
     * Returns the index of the best single candidate.
     *
     * @param candidates at least one, all with the same number of constraints
     * @return its index
     */
    public static int bestIndex(List<Candidate> candidates) {
        check(candidates);
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            Candidate b = candidates.get(best);
            int byViolation = Double.compare(c.maxViolation(), b.maxViolation());
            if (byViolation < 0 || (byViolation == 0 && c.objective() < b.objective())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Returns the optimal distribution over the candidates.
     *
     * @param candidates at least one, all with the same number {@code m} of constraints
     * @return the probabilities, one per candidate, summing to 1, at most {@code m + 1} non-zero
     */
    public static double[] bestDistribution(List<Candidate> candidates) {
        int m = check(candidates);
        int n = candidates.size();
        if (m == 0) {
            double[] p = new double[n];
            p[bestIndex(candidates)] = 1;
            return p;
        }
        // LP 1, variables (p_1..p_n, eps): min eps s.t. sum_i p_i g_ji - eps <= 0, sum p = 1
        List<LinearConstraint> rows = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            double[] a = new double[n + 1];
            for (int i = 0; i < n; i++) {
                a[i] = candidates.get(i).constraints()[j];
            }
            a[n] = -1;
            rows.add(new LinearConstraint(a, Relationship.LEQ, 0));
        }
        double[] ones = new double[n + 1];
        java.util.Arrays.fill(ones, 0, n, 1);
        rows.add(new LinearConstraint(ones, Relationship.EQ, 1));
        double[] minEps = new double[n + 1];
        minEps[n] = 1;
        // eps is a non-negative variable like p, so LP 1 gives max(0, min_p max_j sum_i p_i g_ji) directly
        PointValuePair first = solve(new LinearObjectiveFunction(minEps, 0), rows);
        double eps = Math.max(0, first.getPoint()[n]);

        // LP 2, variables p: min sum p_i f_i s.t. sum_i p_i g_ji <= eps, sum p = 1
        List<LinearConstraint> rows2 = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = candidates.get(i).constraints()[j];
            }
            rows2.add(new LinearConstraint(a, Relationship.LEQ, eps + LP_EPSILON * (1 + Math.abs(eps))));
        }
        double[] sum = new double[n];
        java.util.Arrays.fill(sum, 1);
        rows2.add(new LinearConstraint(sum, Relationship.EQ, 1));
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = candidates.get(i).objective();
        }
        double[] p = solve(new LinearObjectiveFunction(f, 0), rows2).getPoint();
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.max(0, p[i]);
            total += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static PointValuePair solve(LinearObjectiveFunction objective, List<LinearConstraint> rows) {
        return new SimplexSolver().optimize(new MaxIter(10_000), objective, new LinearConstraintSet(rows),
                GoalType.MINIMIZE, new NonNegativeConstraint(true));
    }

    private static int check(List<Candidate> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must not be empty");
        }
        int m = candidates.get(0).constraints().length;
        for (Candidate c : candidates) {
            if (c.constraints().length != m) {
                throw new IllegalArgumentException("every candidate must have " + m + " constraint values, got "
                        + c.constraints().length);
            }
        }
        return m;
    }
}
