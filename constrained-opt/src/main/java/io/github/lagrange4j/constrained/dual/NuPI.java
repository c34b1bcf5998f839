package io.github.lagrange4j.constrained.dual;

/**
 * The nuPI controller for multipliers (Sohrabi, Ramirez, Zhang, Lacoste-Julien &amp;
 * Gallego-Posada, "On PI controllers for updating Lagrange multipliers in constrained
 * optimization", ICML 2024).
 *
 * <p>Rule, with {@code e_t} the violation and {@code xi_{-1} = 0}: {@code xi_t = nu xi_{t-1} +
 * (1-nu) e_t; lambda_{t+1} = lambda_t + eta (K_I e_t + K_P (xi_t - xi_{t-1}))}. With {@code K_P =
 * 0, K_I = 1} it is gradient ascent; with {@code K_P = K_I = 1, nu = 0} it is optimistic gradient
 * ascent {@code lambda_{t+1} = lambda_t + eta (2 e_t - e_{t-1})} (with {@code e_{-1} = 0}).
 *
 * @param learningRate {@code eta > 0}
 * @param kP proportional gain, {@code >= 0}
 * @param kI integral gain, {@code >= 0}
 * @param nu EMA coefficient in {@code [0, 1)}
 */
public record NuPI(double learningRate, double kP, double kI, double nu) implements DualOptimizer {

    /** Validates the hyper-parameters. */
    public NuPI {
        DualOptimizer.checkLearningRate(learningRate);
        if (!(kP >= 0) || Double.isInfinite(kP)) {
            throw new IllegalArgumentException("kP must be finite and >= 0, got " + kP);
        }
        if (!(kI >= 0) || Double.isInfinite(kI)) {
            throw new IllegalArgumentException("kI must be finite and >= 0, got " + kI);
        }
        if (kP == 0 && kI == 0) {
            throw new IllegalArgumentException("kP and kI must not both be 0");
        }
        DualOptimizer.checkUnitInterval("nu", nu);
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
            double e = gradient[j];
            double xi = state.value(0, i);
            double xiNew = nu * xi + (1 - nu) * e;
            out[j] = learningRate * (kI * e + kP * (xiNew - xi));
            state.setValue(0, i, xiNew);
            state.incrementStepCount(i);
        }
        return out;
    }

    @Override
    public String describe() {
        return "NuPI(lr=" + learningRate + ", kP=" + kP + ", kI=" + kI + ", nu=" + nu + ")";
    }
}
