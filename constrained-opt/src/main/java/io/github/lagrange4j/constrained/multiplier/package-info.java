/**
 * Lagrange multipliers: dense (one value per constraint entry), indexed (only observed entries move) and
 * multiplier models (λ given by a small block over constraint features, Narasimhan et al., NeurIPS 2020);
 * inequality multipliers are projected to {@code λ ≥ 0}.
 */
package io.github.lagrange4j.constrained.multiplier;
