package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.multiplier.Multiplier;
import io.github.lagrange4j.constrained.problem.CmpState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the optimizer reads from one evaluation of a constrained minimization problem
 * (package-internal): per constraint, the observed entries {@code I} and the JVM copy of its dual
 * violation {@code g_I(x)}, and its term of the primal Lagrangian, {@code formulation(g_I(x), lambda_I,
 * rho_I)} with the multipliers and penalty coefficients taken as constants.
 *
 * <p>Observed entries: those the multiplier reports for an indexed (stochastic) constraint, the
 * state's {@code constraintIndices} for a penalty-only one, otherwise all entries.
 */
final class ConstraintObservations {

    private ConstraintObservations() {}

    /**
     * Copies each observed constraint's dual violation to the JVM, with the entries it covers.
     *
     * @param state the problem's evaluation
     * @param known the constraints the optimizer keeps dual state for
     * @return the observations, in the problem's order
     * @throws IllegalArgumentException if a constraint is not one of {@code known}, or its indices or
     *     violation size do not fit it
     */
    static List<Observation> observe(CmpState state, Set<Constraint> known) {
        List<Observation> out = new ArrayList<>();
        for (Map.Entry<Constraint, ConstraintState> e : state.observedConstraints().entrySet()) {
            Constraint c = e.getKey();
            if (!known.contains(c)) {
                throw new IllegalArgumentException(
                        "constraint '" + c.name() + "' is not listed in problem.constraints()");
            }
            int[] idx = indices(c, e.getValue());
            double[] v = toDoubles(e.getValue().dualViolation());
            out.add(new Observation(c, idx, v, e.getValue().contributesToDual()));
        }
        return Collections.unmodifiableList(out);
    }

    private static int[] indices(Constraint c, ConstraintState s) {
        Multiplier m = c.multiplier();
        if (m != null) {
            return m.observedIndices(s);
        }
        // penalty-only formulation: indices given, or all entries
        if (s.constraintIndices() != null) {
            long[] raw = s.constraintIndices().toType(DataType.INT64, false).toLongArray();
            int[] idx = new int[raw.length];
            for (int j = 0; j < raw.length; j++) {
                if (raw[j] < 0 || raw[j] >= c.size()) {
                    throw new IllegalArgumentException(
                            "constraintIndices must be in [0, " + c.size() + "), got " + raw[j]);
                }
                idx[j] = (int) raw[j];
            }
            return idx;
        }
        if (s.violation().size() != c.size()) {
            throw new IllegalArgumentException(
                    "violation of '" + c.name() + "' must have " + c.size() + " entries, got "
                            + s.violation().size());
        }
        int[] idx = new int[c.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * Builds the constraint's term of the primal Lagrangian from its formulation, with the current
     * multiplier and penalty coefficient of the observed entries (constants for autograd).
     *
     * @param c the constraint
     * @param s its state on this evaluation
     * @return the term, a differentiable scalar
     */
    static NDArray primalTerm(Constraint c, ConstraintState s) {
        NDArray g = s.violation();
        NDManager manager = g.getManager();
        int[] idx = indices(c, s);
        NDArray lambda =
                c.multiplier() == null
                        ? null
                        : c.multiplier().gather(manager, idx, g.getDataType(), g.getShape());
        NDArray penalty = null;
        if (c.penaltyCoefficient() != null) {
            penalty = manager.create(c.penaltyCoefficient().values(idx), g.getShape());
            if (penalty.getDataType() != g.getDataType()) {
                penalty = penalty.toType(g.getDataType(), false);
            }
        }
        return c.formulation().primalTerm(c.type(), g, lambda, penalty);
    }

    private static double[] toDoubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        if (a.getDataType() == DataType.FLOAT32) {
            // widened in Java, exactly as the engine would: no conversion operation per read
            float[] f = a.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        // the copy lands in a's manager, which may outlive the step (a model's manager): close it here
        try (NDArray copy = a.toType(DataType.FLOAT64, false)) {
            return copy.toDoubleArray();
        }
    }

    /**
     * Returns a one-element array's value as a double.
     *
     * @param a the array
     * @return its value
     */
    static double scalar(NDArray a) {
        return toDoubles(a)[0];
    }

    /**
     * Builds the immutable record of a step.
     *
     * @param step the step number
     * @param primalEval the evaluation that gave the primal gradient
     * @param dualEval the evaluation that drove the dual update
     * @param constraints the optimizer's constraints, whose multipliers and penalty coefficients are recorded
     * @return the record
     */
    static StepRecord record(long step, Evaluation primalEval, Evaluation dualEval, List<Constraint> constraints) {
        Map<String, double[]> violations = new LinkedHashMap<>();
        for (Observation o : dualEval.observations()) {
            violations.put(o.constraint().name(), o.dualViolation());
        }
        Map<String, double[]> multipliers = new LinkedHashMap<>();
        Map<String, double[]> penalties = new LinkedHashMap<>();
        for (Constraint c : constraints) {
            if (c.multiplier() != null) {
                multipliers.put(c.name(), c.multiplier().values());
            }
            if (c.penaltyCoefficient() != null) {
                penalties.put(c.name(), c.penaltyCoefficient().values());
            }
        }
        return new StepRecord(
                step, primalEval.loss(), primalEval.lagrangian(), violations, multipliers, penalties);
    }
}
