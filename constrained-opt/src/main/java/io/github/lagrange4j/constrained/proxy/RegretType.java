package io.github.lagrange4j.constrained.proxy;

/**
 * What the proxy-Lagrangian's weight player minimises (Cotter, Jiang, Sridharan, ALT 2019).
 */
public enum RegretType {
    /** Swap regret: the state is an {@code (m+1) x (m+1)} left-stochastic matrix, the weights its stationary vector. */
    SWAP,
    /** External regret: the state is the {@code (m+1)}-dimensional weight distribution itself. */
    EXTERNAL
}
