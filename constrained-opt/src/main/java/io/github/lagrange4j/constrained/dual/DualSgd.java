package io.github.lagrange4j.constrained.dual;

/**
 * Gradient ascent on the multipliers with optional heavy-ball momentum.
 *
 * <p>Rule (PyTorch SGD convention, no dampening): {@code m <- mu m + d; lambda <- lambda + eta
 * m}; with {@code mu = 0}: {@code lambda <- lambda + eta d} (Arrow-Hurwicz-Uzawa gradient ascent;
 * Polyak, 1964, for momentum).
 *
 * @param learningRate {@code eta > 0}
 * @param momentum {@code mu} in {@code [0, 1)}
 */
public record DualSgd(double learningRate, double momentum) implements DualOptimizer {

    /** Validates the hyper-parameters. */
    public DualSgd {
        DualOptimizer.checkLearningRate(learningRate);
        DualOptimizer.checkUnitInterval("momentum", momentum);
    }

    /**
     * Plain gradient ascent.
     *
     * @param learningRate {@code eta > 0}
     * @return the optimizer
     */
    public static DualSgd of(double learningRate) {
        return new DualSgd(learningRate, 0);
    }

    @Override
    public DualOptimizerState init(int size) {
        return DualOptimizerState.zeros(1, size);
    }

    @Override
    public double[] increments(DualOptimizerState state, int[] indices, double[] gradient) {
        double[] out = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double step = gradient[j];
            if (momentum > 0) {
                step = momentum * state.value(0, i) + gradient[j];
                state.setValue(0, i, step);
            }
            state.incrementStepCount(i);
            out[j] = learningRate * step;
        }
        return out;
    }

    @Override
    public String describe() {
        return "DualSgd(lr=" + learningRate + ", momentum=" + momentum + ")";
    }
}
