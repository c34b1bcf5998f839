package io.github.lagrange4j.constrained.multiplier;

/** How the multipliers of a constraint are addressed on each step. */
public enum MultiplierKind {
    /** One multiplier per constraint entry; every step observes all entries. */
    DENSE,
    /** One multiplier per index; a step observes only the indices in the constraint state. */
    INDEXED
}
