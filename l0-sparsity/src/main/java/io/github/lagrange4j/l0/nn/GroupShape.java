package io.github.lagrange4j.l0.nn;

/**
 * How a gated layer's parameters split into gate groups: {@code gates} groups of {@code groupSize}
 * parameters each (the parameters one gate switches off) plus {@code ungatedParameters} that no gate
 * controls (a dense layer's bias).
 *
 * <p>Sparsifiable parameters = {@code gates · groupSize}; a dense layer {@code in → out} has {@code
 * in} groups of {@code out} weights and {@code out} ungated biases; a convolution {@code C → F} with
 * a {@code k × k} kernel has {@code F} groups of {@code C k² + 1} parameters (the bias is in the
 * group).
 *
 * @param gates the number of gates, {@code ≥ 1}
 * @param groupSize the parameters per gate, {@code ≥ 1}
 * @param ungatedParameters the parameters no gate controls, {@code ≥ 0}
 */
public record GroupShape(long gates, long groupSize, long ungatedParameters) {

    /** Validates the counts. */
    public GroupShape {
        if (gates < 1) {
            throw new IllegalArgumentException("gates must be >= 1, got " + gates);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be >= 1, got " + groupSize);
        }
        if (ungatedParameters < 0) {
            throw new IllegalArgumentException(
                    "ungatedParameters must be >= 0, got " + ungatedParameters);
        }
    }

    /**
     * Returns the number of parameters the gates control, {@code gates · groupSize}.
     *
     * @return the sparsifiable parameter count
     */
    public long sparsifiableParameters() {
        return gates * groupSize;
    }

    /**
     * Returns all parameters of the layer (gate parameters log α excluded).
     *
     * @return the sparsifiable plus the ungated parameter count
     */
    public long totalParameters() {
        return sparsifiableParameters() + ungatedParameters;
    }
}
