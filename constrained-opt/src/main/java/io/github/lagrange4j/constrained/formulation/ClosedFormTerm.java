package io.github.lagrange4j.constrained.formulation;

/**
 * A constraint's primal term and its gradient with respect to the violation, computed in float arithmetic
 * outside the autograd graph ({@link Formulation#closedFormTerm}).
 *
 * @param value the term, as {@link Formulation#primalTerm} computes it on the engine
 * @param gradient {@code ∂term/∂g_i}, one value per entry of the violation
 */
public record ClosedFormTerm(float value, float[] gradient) {}
