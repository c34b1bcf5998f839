package io.github.lagrange4j.constrained.optim;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a constrained optimizer: {@code setProblem} and {@code setPrimalOptimizer} required;
 * {@code setDualOptimizer} required when a constraint has a multiplier (a problem of penalties only needs
 * none); {@code optDualOptimizer(constraint, ..)} gives one constraint its own dual optimizer (e.g. its own
 * step size); {@code optScheme} (default SIMULTANEOUS) and {@code optDualRestarts} (default false)
 * optional.
 *
 * @param <B> the batch type
 */
public final class ConstrainedOptimizerBuilder<B> {

    private ConstrainedMinimizationProblem<B> problem;
    private PrimalOptimizer primal;
    private DualOptimizer dualOptimizer;
    private final Map<String, DualOptimizer> perConstraint = new LinkedHashMap<>();
    private boolean restarts;
    private UpdateScheme scheme = UpdateScheme.SIMULTANEOUS;

    ConstrainedOptimizerBuilder() {}

    /**
     * Sets the problem.
     *
     * @param problem the problem
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> setProblem(ConstrainedMinimizationProblem<B> problem) {
        this.problem = problem;
        return this;
    }

    /**
     * Sets the primal side.
     *
     * @param primal the primal optimizer
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> setPrimalOptimizer(PrimalOptimizer primal) {
        this.primal = primal;
        return this;
    }

    /**
     * Sets the dual optimizer.
     *
     * @param dualOptimizer the dual optimizer
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> setDualOptimizer(DualOptimizer dualOptimizer) {
        this.dualOptimizer = dualOptimizer;
        return this;
    }

    /**
     * Gives one constraint its own dual optimizer, used instead of the shared one for its multipliers
     * (for example {@code DualSgd.of(0.5)} for a constraint that must bite within a few epochs while the
     * others use a smaller step). Its state is kept and checkpointed like the shared one's.
     *
     * @param constraint a constraint of the problem
     * @param optimizer its dual optimizer
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> optDualOptimizer(Constraint constraint, DualOptimizer optimizer) {
        if (constraint == null || optimizer == null) {
            throw new IllegalArgumentException("constraint and optimizer must not be null");
        }
        perConstraint.put(constraint.name(), optimizer);
        return this;
    }

    /**
     * Turns dual restarts on or off (default off).
     *
     * @param restarts whether to restart
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> optDualRestarts(boolean restarts) {
        this.restarts = restarts;
        return this;
    }

    /**
     * Sets the update scheme (default SIMULTANEOUS).
     *
     * @param scheme the scheme
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> optScheme(UpdateScheme scheme) {
        if (scheme == null) {
            throw new IllegalArgumentException("scheme must not be null");
        }
        this.scheme = scheme;
        return this;
    }

    /**
     * Builds the optimizer.
     *
     * @return the optimizer
     */
    public ConstrainedOptimizer<B> build() {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (primal == null) {
            throw new IllegalArgumentException("primalOptimizer must not be null");
        }
        return scheme.create(
                new ConstrainedOptimizer.Config<>(problem, primal, new DualAscent(dualOptimizer, restarts, perConstraint)));
    }
}
