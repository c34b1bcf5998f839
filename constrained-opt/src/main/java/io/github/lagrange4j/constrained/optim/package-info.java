/**
 * The primal-dual optimizer: one {@code step(batch)} evaluates the problem, applies the primal and dual
 * updates in the chosen scheme (simultaneous, alternating primal→dual or dual→primal, extragradient) and
 * returns an immutable {@link io.github.lagrange4j.constrained.optim.StepRecord}; checkpoints save and
 * restore every state exactly.
 */
package io.github.lagrange4j.constrained.optim;
