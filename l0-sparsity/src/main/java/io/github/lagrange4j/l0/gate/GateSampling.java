package io.github.lagrange4j.l0.gate;

/**
 * How training-time gates are drawn for a minibatch (Louizos et al., 2018, Section 3).
 *
 * <ul>
 *   <li>{@link #PER_BATCH} (default): one gate vector per minibatch, shared by all examples; the
 *       gated layer multiplies its weight rows or filters by {@code z}.
 *   <li>{@link #PER_EXAMPLE}: an independent gate vector per example ("local reparameterisation");
 *       the gated layer multiplies activations instead.
 * </ul>
 */
public enum GateSampling {
    /** One gate vector per minibatch (the default of both reference implementations). */
    PER_BATCH,
    /** An independent gate vector per example. */
    PER_EXAMPLE
}
