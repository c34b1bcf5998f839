package io.github.lagrange4j.training;

/**
 * Where the budget applies: one global ε on the parameters, one ε per gated layer, or one fraction of the
 * dense model's multiply-accumulates.
 */
public enum ConstraintScope {
    /** One constraint on the parameter-weighted density of all gated layers. */
    MODEL,
    /** One constraint per gated layer. */
    LAYER,
    /**
     * One constraint on the expected multiply-accumulates per example: {@code E[MACs] ≤ F · MACs(dense)}, F in
     * {@code (0, 1]}; the fixed mask and the certification count the compacted model's MACs.
     */
    MACS
}
