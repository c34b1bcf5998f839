package io.github.lagrange4j.constrained.constraint;

/**
 * Where the gradient of the primal Lagrangian with respect to a constraint's violation goes when the problem
 * back-propagates that violation itself, outside the autograd graph.
 *
 * <p>A problem whose violation {@code g(θ)} it computes in closed form (say an expectation over a distribution
 * whose value and derivative in the distribution's parameters it has in closed form) attaches a sink to the
 * {@link ConstraintState} ({@link ConstraintState#withGradientSink}). When the constraint's formulation has a
 * closed form for its primal term ({@link
 * io.github.lagrange4j.constrained.formulation.Formulation#closedFormTerm}), the constrained optimizer then
 * leaves the term out of the graph and hands the sink {@code ∂L/∂g_i} for every observed entry {@code i}: for the
 * Lagrangian {@code f + Σ λ_i g_i}, exactly {@code λ_i}, the value back-propagation through {@code g · λ} gives.
 * The problem adds {@code Σ_i ∂L/∂g_i ∂g_i/∂θ} to {@code θ}'s gradient before the primal update reads it. When
 * the formulation has no closed form, the term goes through the graph as before and the sink is not called.
 */
@FunctionalInterface
public interface ViolationGradientSink {

    /**
     * Receives the gradient of this step's primal Lagrangian with respect to the violation, once per step,
     * before the backward pass of the step's loss.
     *
     * @param gradient {@code ∂L/∂g_i}, one value per entry of the violation, in its order
     */
    void accept(float[] gradient);
}
