package io.github.lagrange4j.constrained.optim;

import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;

/**
 * Builds a constrained optimizer: {@code setProblem}, {@code setPrimalOptimizer}, {@code
 * setDualOptimizer} required; {@code optScheme} (default SIMULTANEOUS) and {@code
 * optDualRestarts} (default false) optional.
 *
 * @param <B> the batch type
 */
public final class ConstrainedOptimizerBuilder<B> {

    private ConstrainedMinimizationProblem<B> problem;
    private PrimalOptimizer primal;
    private DualOptimizer dualOptimizer;
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
                new ConstrainedOptimizer.Config<>(problem, primal, new DualAscent(dualOptimizer, restarts)));
    }
}
