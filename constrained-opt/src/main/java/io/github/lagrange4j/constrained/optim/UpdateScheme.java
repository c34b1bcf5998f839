package io.github.lagrange4j.constrained.optim;

import java.util.function.Function;

/** The four update schemes, as a factory for parameterised use. */
public enum UpdateScheme {
    /** Primal and dual steps from the same evaluation ({@link SimultaneousOptimizer}). */
    SIMULTANEOUS(SimultaneousOptimizer::new),
    /** Primal step, re-evaluation, dual step ({@link AlternatingPrimalDualOptimizer}). */
    ALTERNATING_PRIMAL_DUAL(AlternatingPrimalDualOptimizer::new),
    /** Dual step, then primal step with the new multipliers ({@link AlternatingDualPrimalOptimizer}). */
    ALTERNATING_DUAL_PRIMAL(AlternatingDualPrimalOptimizer::new),
    /** Look-ahead, second evaluation, update from the saved point ({@link ExtragradientOptimizer}). */
    EXTRAGRADIENT(ExtragradientOptimizer::new);

    private final Function<OptimizerConfig<?>, ConstrainedOptimizer<?>> factory;

    UpdateScheme(Function<OptimizerConfig<?>, ConstrainedOptimizer<?>> factory) {
        this.factory = factory;
    }

    /**
     * Creates an optimizer of this scheme.
     *
     * @param config the configuration
     * @param <B> the batch type
     * @return the optimizer
     */
    @SuppressWarnings("unchecked")
    public <B> ConstrainedOptimizer<B> create(OptimizerConfig<B> config) {
        return (ConstrainedOptimizer<B>) factory.apply(config);
    }
}
