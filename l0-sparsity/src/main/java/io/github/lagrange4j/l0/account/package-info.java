/**
 * Accounting for gated networks: expected active parameters, density and MACs (differentiable, for
 * constraints and penalties), the pruned architecture from the deterministic gates, and the true kept
 * parameters and MACs after intersecting masks across consecutive layers.
 */
package io.github.lagrange4j.l0.account;
