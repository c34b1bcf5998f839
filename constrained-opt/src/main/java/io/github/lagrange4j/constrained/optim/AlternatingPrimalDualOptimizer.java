package io.github.lagrange4j.constrained.optim;

/**
 * Alternating gradient descent-ascent, primal first: the dual step uses violations re-evaluated at
 * the new primal point.
 *
 * <p>Step {@code t}: {@code x_{t+1} = PrimalOpt(x_t, grad_x L(x_t, lambda_t))}; re-evaluate {@code
 * g(x_{t+1})} with {@link io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem#computeViolations};
 * {@code lambda_{t+1} = Pi(lambda_t + eta d(g(x_{t+1})))} (Cooper's {@code
 * AlternatingPrimalDualOptimizer}; Zhang et al., 2022). Costs one extra violation evaluation.
 *
 * @param <B> the batch type
 */
public final class AlternatingPrimalDualOptimizer<B> extends ConstrainedOptimizer<B> {

    /**
     * Creates the optimizer.
     *
     * @param config the configuration
     */
    public AlternatingPrimalDualOptimizer(OptimizerConfig<B> config) {
        super(config);
    }

    @Override
    protected StepRecord doStep(B batch, long step) {
        Evaluation ev = forwardBackward(batch, false);
        primal().step();
        Evaluation after = evaluateViolations(batch);
        dualStep(after.observations(), true);
        return record(step, ev, after);
    }

    @Override
    public UpdateScheme scheme() {
        return UpdateScheme.ALTERNATING_PRIMAL_DUAL;
    }
}
