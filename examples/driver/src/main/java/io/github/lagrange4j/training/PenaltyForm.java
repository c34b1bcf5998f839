package io.github.lagrange4j.training;

/** The two penalized baselines of METHOD.md section 3. */
public enum PenaltyForm {
    /** Louizos et al.: {@code Σ_g P(z_g ≠ 0) · (λ/N) · |g|} (λ per expected active parameter). */
    LOUIZOS,
    /** NeurIPS 2022 code: {@code λ · density}. */
    DENSITY
}
