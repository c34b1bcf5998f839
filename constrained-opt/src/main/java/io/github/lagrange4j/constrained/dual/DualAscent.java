package io.github.lagrange4j.constrained.dual;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.formulation.PenaltyCoefficient;
import io.github.lagrange4j.constrained.multiplier.Multiplier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * <p>Each constraint's {@code Delta} comes from its own optimizer if one is given in
 * {@code perConstraint} (e.g. a larger step for a constraint that must bite within a short run), else from
 * the shared {@code optimizer}. A constraint without a multiplier (a pure penalty) needs none; the
 * shared optimizer may then be {@code null} ({@link #optimizerFor} returns null for it).
 *
 * @param optimizer the dual optimizer shared by the constraints without their own, or null
 * @param restarts whether dual restarts are on
 * @param perConstraint dual optimizers of single constraints, by constraint name
 */
public record DualAscent(DualOptimizer optimizer, boolean restarts, Map<String, DualOptimizer> perConstraint) {

    /** Copies the map and validates its entries. */
    public DualAscent {
        perConstraint = Map.copyOf(perConstraint == null ? Map.of() : perConstraint);
    }

    /**
     * A dual side with one optimizer for every constraint.
     *
     * @param optimizer the dual optimizer, or null if no constraint has a multiplier
     * @param restarts whether dual restarts are on
     */
    public DualAscent(DualOptimizer optimizer, boolean restarts) {
        this(optimizer, restarts, Map.of());
    }

    /**
     * Returns the dual optimizer of a constraint: its own if it has one, else the shared one.
     *
     * @param constraint the constraint
     * @return the optimizer, or null if there is none
     */
    public DualOptimizer optimizerFor(Constraint constraint) {
        return perConstraint.getOrDefault(constraint.name(), optimizer);
    }

    /**
     * Creates the dual-optimizer state of a constraint (empty for one without a multiplier).
     *
     * @param constraint the constraint
     * @return its fresh state
     * @throws IllegalArgumentException if it has a multiplier but no dual optimizer
     */
    public DualOptimizerState init(Constraint constraint) {
        DualOptimizer own = optimizerFor(constraint);
        if (own == null && constraint.multiplier() != null) {
            throw new IllegalArgumentException("constraint '" + constraint.name() + "' has a multiplier ("
                    + constraint.formulation().getClass().getSimpleName() + " formulation) and needs a dual optimizer:"
                    + " setDualOptimizer(..) for all constraints, or optDualOptimizer(constraint, ..) for it");
        }
        return own == null ? DualOptimizerState.zeros(0, constraint.size()) : own.init(constraint.size());
    }

    /**
     * Checks that every constraint given its own dual optimizer belongs to the problem.
     *
     * @param constraints the problem's constraints
     * @throws IllegalArgumentException naming a constraint the problem lacks
     */
    public void requireKnown(List<Constraint> constraints) {
        List<String> names = constraints.stream().map(Constraint::name).toList();
        for (String name : new TreeMap<>(perConstraint).keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("optDualOptimizer names constraint '" + name
                        + "', which the problem does not have (it has " + names + ")");
            }
        }
    }

    /**
     * Describes the dual optimizers: the shared one's description ({@code "none"} without one), then
     * {@code "; name=description"} per constraint with its own.
     *
     * @return the description (stored in checkpoints)
     */
    public String describe() {
        StringBuilder text = new StringBuilder(optimizer == null ? "none" : optimizer.describe());
        new TreeMap<>(perConstraint).forEach((name, o) -> text.append("; ").append(name).append('=')
                .append(o.describe()));
        return text.toString();
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
            double[] delta = optimizerFor(constraint).increments(state, indices, d);
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
