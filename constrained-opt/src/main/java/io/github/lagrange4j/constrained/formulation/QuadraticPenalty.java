package io.github.lagrange4j.constrained.formulation;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.util.ScalarArrays;

/**
 * The quadratic-penalty formulation: no multipliers, a penalty on the violation.
 *
 * <p>Primal term {@code (c/2) sum_i relu(g_i)^2} for inequalities and {@code (c/2) sum_i h_i^2}
 * for equalities (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2006, §17.1). Its minimiser
 * is only approximately feasible (violation {@code O(1/c)}); grow {@code c} with a {@link
 * PenaltyUpdater} to approach feasibility.
 *
 * @param schedule the penalty coefficient's initial value and updater
 */
public record QuadraticPenalty(PenaltySchedule schedule) implements Formulation {

    /** Validates the schedule. */
    public QuadraticPenalty {
        if (schedule == null) {
            throw new IllegalArgumentException("penalty schedule must not be null");
        }
    }

    /**
     * Creates a quadratic penalty with a constant coefficient.
     *
     * @param penaltyCoefficient {@code c > 0}
     * @return the formulation
     */
    public static QuadraticPenalty of(double penaltyCoefficient) {
        return new QuadraticPenalty(new PenaltySchedule(penaltyCoefficient, PenaltyUpdater.constant()));
    }

    /**
     * Creates a quadratic penalty with a growing coefficient.
     *
     * @param penaltyCoefficient the initial {@code c > 0}
     * @param updater the updater
     * @return the formulation
     */
    public static QuadraticPenalty of(double penaltyCoefficient, PenaltyUpdater updater) {
        return new QuadraticPenalty(new PenaltySchedule(penaltyCoefficient, updater));
    }

    @Override
    public NDArray primalTerm(
            ConstraintType type, NDArray violation, NDArray lambda, NDArray penalty) {
        NDArray v = type == ConstraintType.INEQUALITY ? violation.maximum(ScalarArrays.of(violation, 0)) : violation;
        NDArray sum = Formulation.summed(v.square().mul(penalty));
        return sum.mul(ScalarArrays.of(sum, 0.5));
    }

    @Override
    public double[] dualGradient(ConstraintType type, double[] violation, double[] penalty) {
        return new double[0];
    }

    @Override
    public boolean usesMultiplier() {
        return false;
    }

    @Override
    public PenaltySchedule penaltySchedule() {
        return schedule;
    }
}
