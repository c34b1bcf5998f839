package io.github.lagrange4j.constrained.formulation;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.util.ScalarArrays;

/**
 * The augmented Lagrangian formulation (method of multipliers).
 *
 * <p>Primal terms (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2006, eqs. 17.39 and
 * 17.65; Bertsekas, 1982):
 *
 * <ul>
 *   <li>inequalities: {@code (1/(2c)) sum_i [relu(lambda_i + c g_i)^2 - lambda_i^2]};
 *   <li>equalities: {@code sum_i lambda_i h_i + (c/2) sum_i h_i^2}.
 * </ul>
 *
 * <p>Dual ascent direction {@code c_i g_i}: with a plain SGD dual optimizer of learning rate 1 and
 * the projection, the dual step is exactly the method-of-multipliers update {@code lambda <-
 * relu(lambda + c g)} (inequalities) and {@code lambda <- lambda + c h} (equalities).
 *
 * @param schedule the penalty coefficient's initial value and updater
 */
public record AugmentedLagrangian(PenaltySchedule schedule) implements Formulation {

    /** Validates the schedule. */
    public AugmentedLagrangian {
        if (schedule == null) {
            throw new IllegalArgumentException("penalty schedule must not be null");
        }
    }

    /**
     * Creates an augmented Lagrangian with a constant coefficient.
     *
     * @param penaltyCoefficient {@code c > 0}
     * @return the formulation
     */
    public static AugmentedLagrangian of(double penaltyCoefficient) {
        return new AugmentedLagrangian(
                new PenaltySchedule(penaltyCoefficient, PenaltyUpdater.constant()));
    }

    /**
     * Creates an augmented Lagrangian with a growing coefficient.
     *
     * @param penaltyCoefficient the initial {@code c > 0}
     * @param updater the updater
     * @return the formulation
     */
    public static AugmentedLagrangian of(double penaltyCoefficient, PenaltyUpdater updater) {
        return new AugmentedLagrangian(new PenaltySchedule(penaltyCoefficient, updater));
    }

    @Override
    public NDArray primalTerm(
            ConstraintType type, NDArray violation, NDArray lambda, NDArray penalty) {
        if (type == ConstraintType.INEQUALITY) {
            NDArray unclipped = lambda.add(violation.mul(penalty));
            NDArray shifted = unclipped.maximum(ScalarArrays.of(unclipped, 0));
            NDArray half = Formulation.summed(shifted.square().sub(lambda.square()).div(penalty));
            return half.mul(ScalarArrays.of(half, 0.5));
        }
        NDArray quadratic = violation.square().mul(penalty);
        return Formulation.summed(violation.mul(lambda).add(quadratic.mul(ScalarArrays.of(quadratic, 0.5))));
    }

    @Override
    public double[] dualGradient(ConstraintType type, double[] violation, double[] penalty) {
        double[] d = new double[violation.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = penalty[j] * violation[j];
        }
        return d;
    }

    @Override
    public boolean usesMultiplier() {
        return true;
    }

    @Override
    public PenaltySchedule penaltySchedule() {
        return schedule;
    }
}
