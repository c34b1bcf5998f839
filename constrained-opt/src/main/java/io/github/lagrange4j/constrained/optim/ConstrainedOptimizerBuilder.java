package io.github.lagrange4j.constrained.optim;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.multiplier.MultiplierModel;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
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
    private final Map<String, Relaxation> relaxations = new LinkedHashMap<>();
    private final Map<String, MultiplierModel> multiplierModels = new LinkedHashMap<>();

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
     * Relaxes an inequality constraint {@code g <= 0} to {@code g <= u} with a learned slack {@code u
     * >= 0} of cost {@code (alpha/2) u^2} (see {@link Relaxation}).
     *
     * @param constraint an inequality constraint of the problem, with multipliers
     * @param relaxation the slack's cost and step size
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> optRelaxation(Constraint constraint, Relaxation relaxation) {
        if (constraint == null) {
            throw new IllegalArgumentException("constraint must not be null");
        }
        if (relaxation == null) {
            throw new IllegalArgumentException("relaxation of '" + constraint.name() + "' must not be null");
        }
        relaxations.put(constraint.name(), relaxation);
        return this;
    }

    /**
     * Gives a constraint's multipliers by a model of its features, trained by the dual step (see
     * {@link MultiplierModel}); the constraint's dual optimizer and restarts are then not used.
     *
     * @param constraint a constraint of the problem, with multipliers
     * @param model the model, with features for each of its entries
     * @return this builder
     */
    public ConstrainedOptimizerBuilder<B> optMultiplierModel(Constraint constraint, MultiplierModel model) {
        if (constraint == null) {
            throw new IllegalArgumentException("constraint must not be null");
        }
        if (model == null) {
            throw new IllegalArgumentException("multiplier model of '" + constraint.name() + "' must not be null");
        }
        multiplierModels.put(constraint.name(), model);
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
                new OptimizerConfig<>(problem, primal, new DualAscent(dualOptimizer, restarts, perConstraint),
                        relaxations, multiplierModels));
    }
}
