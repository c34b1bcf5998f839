package io.github.lagrange4j.constrained.dual;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.formulation.PenaltyCoefficient;
import io.github.lagrange4j.constrained.multiplier.Multiplier;

/**
 * One dual step for one constraint: ascent, optional dual restart, projection last, then the
 * penalty-coefficient update.
 *
 * <p>Order, for the observed entries {@code i} with strict violation {@code v_i}:
 *
 * <ol>
 *   <li>{@code d = formulation.dualGradient(v)} ({@code v} for the Lagrangian, {@code c v} for the
 *       augmented Lagrangian);
 *   <li>{@code lambda_i <- lambda_i + Delta_i}, {@code Delta} from the {@link DualOptimizer};
 *   <li>dual restart (inequalities, if enabled): if {@code v_i < 0} (strictly feasible) then
 *       {@code lambda_i <- 0} and the optimizer state of entry {@code i} is reset (Gallego-Posada
 *       et al., "Controlled sparsity via constrained optimization", NeurIPS 2022);
 *   <li>projection (inequalities): {@code lambda_i <- max(0, lambda_i)};
 *   <li>penalty coefficients (if any, and if requested): {@code c_i <- updater(c_i, v_i)}.
 * </ol>
 *
 * @param optimizer the dual optimizer
 * @param restarts whether dual restarts are on
 */
public record DualAscent(DualOptimizer optimizer, boolean restarts) {

    /** Validates the arguments. */
    public DualAscent {
        if (optimizer == null) {
            throw new IllegalArgumentException("dualOptimizer must not be null");
        }
    }

    /**
     * Performs the dual step of one constraint.
     *
     * @param constraint the constraint
     * @param state its dual-optimizer state
     * @param indices the observed entries
     * @param strictViolation their strict violations
     * @param updatePenalty whether to apply the penalty updater on this call
     */
    public void step(
            Constraint constraint,
            DualOptimizerState state,
            int[] indices,
            double[] strictViolation,
            boolean updatePenalty) {
        Multiplier lambda = constraint.multiplier();
        PenaltyCoefficient penalty = constraint.penaltyCoefficient();
        boolean inequality = constraint.type() == ConstraintType.INEQUALITY;
        if (lambda != null) {
            double[] c = penalty == null ? null : penalty.values(indices);
            double[] d = constraint.formulation().dualGradient(constraint.type(), strictViolation, c);
            double[] delta = optimizer.increments(state, indices, d);
            for (int j = 0; j < indices.length; j++) {
                int i = indices[j];
                lambda.set(i, lambda.value(i) + delta[j]);
                if (restarts && inequality && strictViolation[j] < 0) {
                    lambda.set(i, 0.0);
                    state.resetEntry(i);
                }
            }
            if (inequality) {
                lambda.projectNonNegative(indices);
            }
        }
        if (penalty != null && updatePenalty) {
            penalty.update(indices, strictViolation, constraint.type());
        }
    }
}
