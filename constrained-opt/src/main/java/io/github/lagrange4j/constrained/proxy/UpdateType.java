package io.github.lagrange4j.constrained.proxy;

/** How the proxy-Lagrangian state ascends. */
public enum UpdateType {
    /** Exponentiated gradient on the log of the state, each column renormalised, log-values floored. */
    MULTIPLICATIVE,
    /** Gradient ascent on the state, each column projected onto the simplex (Euclidean). */
    ADDITIVE
}
