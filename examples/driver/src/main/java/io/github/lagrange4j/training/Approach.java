package io.github.lagrange4j.training;

/** How sparsity is asked for: as a penalty weight (Louizos et al.) or as a density budget. */
public enum Approach {
    /** Minimise loss + λ · expected L0 (Louizos et al., ICLR 2018). */
    PENALIZED,
    /** Minimise loss subject to expected density ≤ ε (Gallego-Posada, Ramirez et al., 2021/2022). */
    CONSTRAINED
}
