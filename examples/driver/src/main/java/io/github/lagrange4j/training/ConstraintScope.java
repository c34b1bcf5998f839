package io.github.lagrange4j.training;

/** Where the density budget applies: one global ε, or one ε per gated layer. */
public enum ConstraintScope {
    /** One constraint on the parameter-weighted density of all gated layers. */
    MODEL,
    /** One constraint per gated layer. */
    LAYER
}
