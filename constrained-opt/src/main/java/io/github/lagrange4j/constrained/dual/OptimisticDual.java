package io.github.lagrange4j.constrained.dual;

import java.util.Arrays;

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
        DualOptimizerState in = inner.init(size);
        double[][] buffers = Arrays.copyOf(in.buffers(), in.buffers().length + 1);
        buffers[buffers.length - 1] = new double[size];
        return new DualOptimizerState(buffers, in.steps());
    }

    @Override
    public double[] increments(DualOptimizerState state, int[] indices, double[] gradient) {
        int k = state.buffers().length - 1;
        double[] previous = state.buffers()[k];
        double[] extrapolated = new double[gradient.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double omega = schedule.coefficient(state.steps()[i]);
            extrapolated[j] = (1 + omega) * gradient[j] - omega * previous[i];
            previous[i] = gradient[j];
        }
        DualOptimizerState innerView = new DualOptimizerState(Arrays.copyOf(state.buffers(), k), state.steps());
        return inner.increments(innerView, indices, extrapolated);
    }

    @Override
    public String describe() {
        return "OptimisticDual(" + inner.describe() + ", omega " + schedule.initial() + " -> "
                + schedule.last() + " over " + schedule.rampSteps() + ")";
    }
}
