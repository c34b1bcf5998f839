package io.github.lagrange4j.sweep;

/** What one run of a sweep trains: a point of the frontier (constrained or penalized) or the dense baseline. */
public enum RunKind {
    /** A gated model under the density budget ε (Lagrangian training). */
    CONSTRAINED,
    /** A gated model with the L0 penalty of weight λ. */
    PENALIZED,
    /** The dense (ungated) model of the same architecture: the frontier's reference line. */
    DENSE
}
