package io.github.lagrange4j.constrained.optim;

/**
 * Alternating gradient descent-ascent, dual first: the primal step uses the freshly updated
 * multipliers, at the cost of a single evaluation.
 *
 * <p>Step {@code t}: evaluate {@code f(x_t), g(x_t)}; {@code lambda_{t+1} = Pi(lambda_t + eta
 * d(g(x_t)))}; form {@code L(x_t, lambda_{t+1})} from the same evaluation and {@code x_{t+1} =
 * PrimalOpt(x_t, grad_x L(x_t, lambda_{t+1}))} (Cooper's {@code AlternatingDualPrimalOptimizer}).
 *
 * @param <B> the batch type
 */
public final class AlternatingDualPrimalOptimizer<B> extends ConstrainedOptimizer<B> {

    /**
     * Creates the optimizer.
     *
     * @param config the configuration
     */
    public AlternatingDualPrimalOptimizer(OptimizerConfig<B> config) {
        super(config);
    }

    @Override
    protected StepRecord doStep(B batch, long step) {
        Evaluation ev = forwardBackward(batch, true);
        primal().step();
        return record(step, ev, ev);
    }

    @Override
    public UpdateScheme scheme() {
        return UpdateScheme.ALTERNATING_DUAL_PRIMAL;
    }
}
