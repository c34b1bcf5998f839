/**
 * Dual updates of the multipliers: gradient ascent {@code λ ← λ + η·g} (SGD, Adam), the νPI controller
 * (Sohrabi et al., ICML 2024), scheduled optimistic ascent, dual restarts; the projection {@code λ ≥ 0} of
 * inequality multipliers is applied last.
 */
package io.github.lagrange4j.constrained.dual;
