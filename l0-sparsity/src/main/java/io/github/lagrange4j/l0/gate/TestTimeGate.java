package io.github.lagrange4j.l0.gate;

/**
 * The deterministic gate used at inference time, in the two conventions of the reference
 * implementations.
 *
 * <ul>
 *   <li>{@link #LOUIZOS_EQ13}: {@code ẑ = clamp(sigmoid(log α) (ζ − γ) + γ, 0, 1)} (Louizos et al.,
 *       2018, Eq. 13); exactly 0 for {@code log α ≤ −2.398} and exactly 1 for {@code log α ≥ 2.398}
 *       with the default constants, fractional in between.
 *   <li>{@link #MEDIAN}: {@code ẑ = clamp(sigmoid(log α / β) (ζ − γ) + γ, 0, 1)}, the median of the
 *       hard-concrete distribution (the NeurIPS 2022 code); thresholds {@code ±1.599}. A gate is
 *       non-zero exactly when {@code P(z ≠ 0) > 1/2}.
 * </ul>
 *
 * <p>The project default is {@link #MEDIAN}: it is the convention of the constrained reference
 * results (the pruned architectures such as 198-233-100) and it agrees with the expected density
 * used by the constraints (kept at test time iff more likely on than off).
 */
public enum TestTimeGate {
    /** Louizos et al. (2018) Eq. 13: the stretched sigmoid of log α, clamped. */
    LOUIZOS_EQ13,
    /** The median of the hard-concrete distribution (NeurIPS 2022 code); the project default. */
    MEDIAN;

    /**
     * Returns the project default, {@link #MEDIAN}.
     *
     * @return the default test-time gate convention
     */
    public static TestTimeGate defaultGate() {
        return MEDIAN;
    }
}
