package io.github.lagrange4j.training;

/**
 * The two penalized baselines: the expected-L0 penalty of Louizos, Welling and Kingma, "Learning Sparse Neural
 * Networks through L0 Regularization" (ICLR 2018), and the density penalty of the official code of
 * Gallego-Posada, Ramirez et al., "Controlled Sparsity via Constrained Optimization" (NeurIPS 2022).
 */
public enum PenaltyForm {
    /** Louizos et al.: {@code Σ_g P(z_g ≠ 0) · (λ/N) · |g|} (λ per expected active parameter). */
    LOUIZOS,
    /** NeurIPS 2022 code: {@code λ · density}. */
    DENSITY
}
