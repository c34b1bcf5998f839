package io.github.lagrange4j.constrained.dual;

/**
 * Optimistic dual ascent with a scheduled coefficient: any {@link DualOptimizer} fed with the
 * extrapolated violation {@code d'_t = d_t + omega_t (d_t - d_{t-1})} instead of {@code d_t}.
 *
 * <p>Rule, per observed entry, with {@code d_{-1} = 0} (as {@link NuPI}) and {@code omega_t} from
 * the {@link OptimismSchedule}: {@code d'_t = (1 + omega_t) d_t - omega_t d_{t-1}}; then the inner
 * rule. With plain SGD and {@code omega = 1}: {@code lambda_{t+1} = lambda_t + eta (2 d_t -
 * d_{t-1})}, optimistic gradient ascent (Popov, 1980; Daskalakis et al., "Training GANs with
 * optimism", ICLR 2018), the same update as {@code NuPI(eta, 1, 1, 0)}. On the dual only, the
 * optimistic term acts like the augmented Lagrangian's damping of the multipliers' oscillation.
 *
 * <p>State: the inner optimizer's buffers, then one buffer holding {@code d_{t-1}}; dual restarts
 * reset both. Order of calls: as any {@link DualOptimizer}.
 *
 * @param inner the optimizer that receives the extrapolated violation
 * @param schedule the optimistic coefficient over updates
 */
public record OptimisticDual(DualOptimizer inner, OptimismSchedule schedule) implements DualOptimizer {

    /** Validates the arguments. */
    public OptimisticDual {
        if (inner == null) {
            throw new IllegalArgumentException("inner dual optimizer must not be null");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("optimism schedule must not be null");
        }
    }

    @Override
    public DualOptimizerState init(int size) {
        return inner.init(size).withExtraBuffer();
    }

    @Override
    public double[] increments(DualOptimizerState state, int[] indices, double[] gradient) {
        int k = state.numBuffers() - 1;
        double[] extrapolated = new double[gradient.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double omega = schedule.coefficient(state.stepCount(i));
            extrapolated[j] = (1 + omega) * gradient[j] - omega * state.value(k, i);
            state.setValue(k, i, gradient[j]);
        }
        return inner.increments(state.withoutLastBuffer(), indices, extrapolated);
    }

    @Override
    public String describe() {
        return "OptimisticDual(" + inner.describe() + ", omega " + schedule.initial() + " -> "
                + schedule.last() + " over " + schedule.rampSteps() + ")";
    }
}
