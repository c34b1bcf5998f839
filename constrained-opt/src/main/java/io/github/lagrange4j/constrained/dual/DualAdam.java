package io.github.lagrange4j.constrained.dual;

/**
 * Adam ascent on the multipliers, with per-entry step counts (so indexed multipliers get their own
 * bias correction).
 *
 * <p>Rule (Kingma &amp; Ba, 2015): {@code m <- b1 m + (1-b1) d; v <- b2 v + (1-b2) d^2; t <- t+1;
 * lambda <- lambda + eta (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
 *
 * @param learningRate {@code eta > 0}
 * @param beta1 in {@code [0, 1)}
 * @param beta2 in {@code [0, 1)}
 * @param epsilon {@code > 0}
 */
public record DualAdam(double learningRate, double beta1, double beta2, double epsilon)
        implements DualOptimizer {

    /** Validates the hyper-parameters. */
    public DualAdam {
        DualOptimizer.checkLearningRate(learningRate);
        DualOptimizer.checkUnitInterval("beta1", beta1);
        DualOptimizer.checkUnitInterval("beta2", beta2);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
    }

    /**
     * Adam with the usual defaults {@code b1 = 0.9, b2 = 0.999, eps = 1e-8}.
     *
     * @param learningRate {@code eta > 0}
     * @return the optimizer
     */
    public static DualAdam of(double learningRate) {
        return new DualAdam(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public DualOptimizerState init(int size) {
        return DualOptimizerState.zeros(2, size);
    }

    @Override
    public double[] increments(DualOptimizerState state, int[] indices, double[] gradient) {
        double[] out = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double d = gradient[j];
            double m = beta1 * state.value(0, i) + (1 - beta1) * d;
            double v = beta2 * state.value(1, i) + (1 - beta2) * d * d;
            state.setValue(0, i, m);
            state.setValue(1, i, v);
            long t = state.incrementStepCount(i);
            double mHat = m / (1 - Math.pow(beta1, t));
            double vHat = v / (1 - Math.pow(beta2, t));
            out[j] = learningRate * mHat / (Math.sqrt(vHat) + epsilon);
        }
        return out;
    }

    @Override
    public String describe() {
        return "DualAdam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", eps=" + epsilon + ")";
    }
}
