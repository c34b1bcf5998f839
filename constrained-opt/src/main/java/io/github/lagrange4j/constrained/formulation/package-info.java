/**
 * Formulations turn a constraint's violation into primal and dual terms: the Lagrangian {@code λ·g}, the
 * quadratic penalty {@code ½ c·relu(g)²} and the augmented Lagrangian (Nocedal &amp; Wright, 2006, ch. 17),
 * with penalty coefficients and their multiplicative or additive updaters.
 */
package io.github.lagrange4j.constrained.formulation;
