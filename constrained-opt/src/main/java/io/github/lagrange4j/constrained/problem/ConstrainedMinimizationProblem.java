package io.github.lagrange4j.constrained.problem;

import io.github.lagrange4j.constrained.constraint.Constraint;
import java.util.List;

/**
 * A constrained minimisation problem {@code min_x f(x) s.t. g(x) <= 0, h(x) = 0}, evaluated on
 * batches of type {@code B} (Cooper's {@code ConstrainedMinimizationProblem}).
 *
 * <p>Order of calls on one step of a constrained optimizer: it opens a step scope (an {@code
 * NDScope}; arrays created inside are closed at the end of the step) and a gradient collector, calls
 * {@link #computeCmpState(Object)}, adds the formulation's primal terms to the loss, runs backward,
 * closes the collector, then updates primal and dual variables. Alternating schemes call {@link
 * #computeViolations(Object)} after the primal step, outside any gradient collector. Last, once per
 * step, after every primal and dual update, the optimizer calls {@link #projectPrimal()}.
 *
 * @param <B> the batch type ({@code Void}/{@code null} for deterministic problems)
 */
public interface ConstrainedMinimizationProblem<B> {

    /**
     * Computes the loss and the constraint states on a batch. Called while a gradient collector is
     * open: the loss and the violations must be differentiable functions of the primal parameters.
     *
     * @param batch the batch
     * @return the state; its arrays belong to the current step scope
     */
    CmpState computeCmpState(B batch);

    /**
     * Lists every constraint this problem may observe, in a fixed order (used to set up dual state
     * and checkpoints). Names must be unique.
     *
     * @return the constraints
     */
    List<Constraint> constraints();

    /**
     * Computes only the constraint states (the loss may be {@code null}), for re-evaluation after a
     * primal step in alternating schemes. The default calls {@link #computeCmpState(Object)};
     * override it when the violations are cheaper than the loss.
     *
     * @param batch the batch
     * @return the state
     */
    default CmpState computeViolations(B batch) {
        return computeCmpState(batch);
    }

    /**
     * Projects the primal variables back onto their domain (for example box bounds on some parameters),
     * in place. The constrained optimizers call it exactly once at the end of every step, after all of
     * the step's primal and dual updates and outside any gradient collector, so a training loop never
     * applies it itself; the next step starts from the projected point. Arrays it creates must be closed
     * before it returns. The default does nothing.
     */
    default void projectPrimal() {}
}
