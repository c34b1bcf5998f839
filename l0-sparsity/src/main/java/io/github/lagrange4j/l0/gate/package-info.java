/**
 * Hard-concrete gates: the training-time reparameterised sample, the closed-form probability of a
 * non-zero gate, the deterministic test-time gates and the log alpha parameter conventions
 * (initialisation and clamping).
 */
package io.github.lagrange4j.l0.gate;
