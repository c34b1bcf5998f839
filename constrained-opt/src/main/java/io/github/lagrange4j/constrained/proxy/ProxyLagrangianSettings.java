package io.github.lagrange4j.constrained.proxy;

/**
 * The settings of the proxy-Lagrangian weight player (Cotter, Jiang, Sridharan, "Two-player games for
 * efficient non-convex constrained optimization", ALT 2019, Definition 2 and Algorithm 2).
 *
 * <p>Weights: a distribution {@code q} over the objective and the {@code m} constraints. Radii as in
 * TFCO: every constraint weight starts at {@code initialRadius / (m+1)} and the objective weight at
 * {@code 1 - initialRadius m / (m+1)}; with multiplicative updates every state entry is floored at
 * {@code minimumRadius / (m+1)}. {@link #tfcoDefaults} gives TFCO's defaults: swap regret,
 * multiplicative updates, {@code minimumRadius = initialRadius = 1e-3}.
 *
 * @param regret SWAP or EXTERNAL
 * @param update MULTIPLICATIVE or ADDITIVE
 * @param learningRate {@code eta > 0}, the step size of the state's ascent
 * @param minimumRadius in {@code (0, 1)} for multiplicative updates, 0 for additive ones
 * @param initialRadius in {@code [minimumRadius, 1]} (multiplicative) or {@code [0, 1]} (additive)
 */
public record ProxyLagrangianSettings(
        RegretType regret, UpdateType update, double learningRate, double minimumRadius, double initialRadius) {

    /** Validates the settings. */
    public ProxyLagrangianSettings {
        if (regret == null) {
            throw new IllegalArgumentException("regret type must not be null");
        }
        if (update == null) {
            throw new IllegalArgumentException("update type must not be null");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (update == UpdateType.MULTIPLICATIVE) {
            if (!(minimumRadius > 0 && minimumRadius < 1)) {
                throw new IllegalArgumentException(
                        "minimumRadius must be in (0, 1) for multiplicative updates, got " + minimumRadius);
            }
            if (!(initialRadius >= minimumRadius && initialRadius <= 1)) {
                throw new IllegalArgumentException("initialRadius must be in [minimumRadius, 1] = ["
                        + minimumRadius + ", 1], got " + initialRadius);
            }
        } else {
            if (minimumRadius != 0) {
                throw new IllegalArgumentException("minimumRadius must be 0 for additive updates, got " + minimumRadius);
            }
            if (!(initialRadius >= 0 && initialRadius <= 1)) {
                throw new IllegalArgumentException("initialRadius must be in [0, 1], got " + initialRadius);
            }
        }
    }

    /**
     * TFCO's defaults: swap regret, multiplicative updates, radii {@code 1e-3}.
     *
     * @param learningRate {@code eta > 0}
     * @return the settings
     */
    public static ProxyLagrangianSettings tfcoDefaults(double learningRate) {
        return new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.MULTIPLICATIVE, learningRate, 1e-3, 1e-3);
    }

    /**
     * Additive updates with swap regret, all weight on the objective at the start.
     *
     * @param learningRate {@code eta > 0}
     * @return the settings
     */
    public static ProxyLagrangianSettings additive(double learningRate) {
        return new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.ADDITIVE, learningRate, 0, 0);
    }
}
