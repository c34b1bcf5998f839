package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Extragradient descent-ascent: a look-ahead step, a second evaluation there, and the real step
 * applied from the saved point with the look-ahead gradients (Korpelevich, 1976; Gidel et al.,
 * "A variational inequality perspective on GANs", ICLR 2019).
 *
 * <p>Step {@code t}: save {@code x_t, lambda_t}; evaluate at {@code (x_t, lambda_t)};
 * {@code x_{t+1/2} = PrimalOpt(x_t, grad_x L(x_t, lambda_t))}, {@code lambda_{t+1/2} = Pi(lambda_t
 * + eta d(g(x_t)))}; evaluate at {@code (x_{t+1/2}, lambda_{t+1/2})}; restore {@code x_t,
 * lambda_t}; {@code x_{t+1} = PrimalOpt(x_t, grad_x L(x_{t+1/2}, lambda_{t+1/2}))}, {@code
 * lambda_{t+1} = Pi(lambda_t + eta d(g(x_{t+1/2})))}; penalty coefficients are updated on the
 * real step only. Stateful optimizers (momentum, Adam moments) advance on both half-steps, as in
 * Gidel et al.'s Extra-Adam. Costs two evaluations per step.
 *
 * @param <B> the batch type
 */
public final class ExtragradientOptimizer<B> extends ConstrainedOptimizer<B> {

    /**
     * Creates the optimizer.
     *
     * @param config the configuration
     */
    public ExtragradientOptimizer(OptimizerConfig<B> config) {
        super(config);
    }

    @Override
    protected StepRecord doStep(B batch, long step) {
        List<NDArray> params = primal().parameters();
        List<NDArray> saved = new ArrayList<>(params.size());
        try {
            for (NDArray p : params) {
                saved.add(p.duplicate());
            }
            Map<Constraint, double[]> lambdaSaved = snapshotMultipliers();
            Evaluation first = forwardBackward(batch, false);
            primal().step();
            dualStep(first.observations(), false);
            Evaluation second = forwardBackward(batch, false);
            for (int i = 0; i < params.size(); i++) {
                ParameterValues.assign(params.get(i), saved.get(i));
            }
            restoreMultipliers(lambdaSaved);
            primal().step();
            dualStep(second.observations(), true);
            return record(step, first, second);
        } finally {
            saved.forEach(NDArray::close);
        }
    }

    @Override
    public UpdateScheme scheme() {
        return UpdateScheme.EXTRAGRADIENT;
    }
}
