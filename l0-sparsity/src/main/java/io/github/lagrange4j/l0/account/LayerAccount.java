package io.github.lagrange4j.l0.account;

/**
 * The accounting of one gated layer at a point in training.
 *
 * @param name the layer's name in its network
 * @param gates the number of gates
 * @param keptGates the gates whose deterministic test-time value is non-zero
 * @param totalParameters weights and biases (gates excluded)
 * @param sparsifiableParameters the parameters the gates control, {@code Σ_g |g|}
 * @param expectedActiveParameters {@code Σ_g P(z_g ≠ 0) · |g|}
 * @param expectedDensity {@code expectedActiveParameters / sparsifiableParameters}
 * @param keptParameters weights and biases kept after intersecting masks across layers
 * @param totalMacs multiply-accumulates per example of the dense layer
 * @param keptMacs multiply-accumulates per example after intersecting masks
 */
public record LayerAccount(
        String name,
        long gates,
        long keptGates,
        long totalParameters,
        long sparsifiableParameters,
        double expectedActiveParameters,
        double expectedDensity,
        long keptParameters,
        long totalMacs,
        long keptMacs) {

    /** Validates the counts. */
    public LayerAccount {
        if (keptGates < 0 || keptGates > gates) {
            throw new IllegalArgumentException(
                    "keptGates must be in [0, " + gates + "], got " + keptGates);
        }
        if (keptParameters < 0 || keptParameters > totalParameters) {
            throw new IllegalArgumentException(
                    "keptParameters must be in [0, " + totalParameters + "], got " + keptParameters);
        }
    }
}
