package io.github.lagrange4j.constrained.optim;

/**
 * Simultaneous gradient descent-ascent: primal and dual steps from the same evaluation.
 *
 * <p>Step {@code t}: evaluate {@code f(x_t), g(x_t)}; {@code x_{t+1} = PrimalOpt(x_t, grad_x
 * L(x_t, lambda_t))}; {@code lambda_{t+1} = Pi(lambda_t + eta d(g(x_t)))}; penalty update (Arrow,
 * Hurwicz &amp; Uzawa, 1958; the reference update of Gallego-Posada et al., NeurIPS 2022).
 *
 * @param <B> the batch type
 */
public final class SimultaneousOptimizer<B> extends ConstrainedOptimizer<B> {

    /**
     * Creates the optimizer.
     *
     * @param config the configuration
     */
    public SimultaneousOptimizer(OptimizerConfig<B> config) {
        super(config);
    }

    @Override
    protected StepRecord doStep(B batch, long step) {
        Evaluation ev = forwardBackward(batch, false);
        primal().step();
        dualStep(ev.observations(), true);
        return record(step, ev, ev);
    }

    @Override
    public UpdateScheme scheme() {
        return UpdateScheme.SIMULTANEOUS;
    }
}
