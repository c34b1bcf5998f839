package io.github.lagrange4j.constrained.formulation;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.ConstraintType;

/**
 * Turns the state of one constraint into a primal term (differentiated w.r.t. the model
 * parameters, multipliers held constant) and a dual ascent direction (violation held constant).
 *
 * <p>Order of calls on each step: the optimizer calls {@link #primalTerm} while the gradient
 * collector is open and adds it to the loss; after the backward pass it calls {@link
 * #dualGradient} with the (strict) violation values of the observed entries and hands the result
 * to the dual optimizer, which ascends: {@code lambda <- lambda + eta * dualGradient}.
 *
 * <p>Implementations are immutable settings, safe to share between constraints; the per-constraint
 * penalty coefficients live in {@link PenaltyCoefficient}.
 */
public interface Formulation {

    /**
     * Computes the primal contribution of one constraint, a scalar.
     *
     * @param type the constraint type
     * @param violation the differentiable violation of the observed entries
     * @param lambda the observed multipliers (constant, same shape), or {@code null} if {@link
     *     #usesMultiplier()} is false
     * @param penalty the observed penalty coefficients (constant, same shape), or {@code null} if
     *     the formulation has no penalty
     * @return a scalar NDArray in the violation's manager (closed with the step)
     */
    NDArray primalTerm(ConstraintType type, NDArray violation, NDArray lambda, NDArray penalty);

    /**
     * The primal term and its gradient in the violation in closed form, for a violation the problem
     * back-propagates itself ({@link io.github.lagrange4j.constrained.constraint.ViolationGradientSink}); null
     * when this formulation has none, and the term then goes through the autograd graph ({@link #primalTerm}).
     * Where given, the gradient is the one back-propagation through {@link #primalTerm} yields, bit for bit,
     * and the value is {@link #primalTerm}'s for one entry (for several, up to the order of the float sum).
     *
     * @param type the constraint type
     * @param violation the violation of the observed entries
     * @param lambda the observed multipliers (same length), or {@code null} if {@link #usesMultiplier()} is
     *     false
     * @param penalty the observed penalty coefficients (same length), or {@code null}
     * @return the term and {@code ∂term/∂g}, or null
     */
    default ClosedFormTerm closedFormTerm(ConstraintType type, float[] violation, float[] lambda, float[] penalty) {
        return null;
    }

    /**
     * Computes the dual ascent direction {@code d} of the observed entries, so that the dual
     * optimizer performs {@code lambda <- lambda + eta * d}.
     *
     * @param type the constraint type
     * @param violation the (strict) violation of the observed entries
     * @param penalty the observed penalty coefficients, or {@code null}
     * @return the ascent direction, one value per entry
     */
    double[] dualGradient(ConstraintType type, double[] violation, double[] penalty);

    /**
     * Returns whether the formulation has Lagrange multipliers (and thus a dual update).
     *
     * @return true for Lagrangian formulations, false for pure penalties
     */
    boolean usesMultiplier();

    /**
     * Returns the penalty schedule, or {@code null} if the formulation has no penalty coefficient.
     *
     * @return the initial value and updater of the penalty coefficients
     */
    default PenaltySchedule penaltySchedule() {
        return null;
    }

    /**
     * Returns the sum of a term's entries as a scalar: {@code terms} itself when it is one already (a 0-d
     * array, e.g. a model-wise constraint), otherwise {@code terms.sum()}. The same value either way; a sum of
     * a scalar would only add an operation to every step and a node to every backward pass.
     *
     * @param terms the term's entries
     * @return their sum, 0-d
     */
    static NDArray summed(NDArray terms) {
        return terms.getShape().dimension() == 0 ? terms : terms.sum();
    }
}
