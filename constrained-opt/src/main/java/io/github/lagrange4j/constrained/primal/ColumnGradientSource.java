package io.github.lagrange4j.constrained.primal;

import ai.djl.nn.Parameter;

/**
 * A block that can hand the optimizer some of its parameters' gradients as {@link ColumnGradient}s instead of
 * leaving them, at full size, in the parameters' gradient arrays.
 *
 * <p>Contract. While {@link #setColumnGradients(boolean) enabled}, a training pass may leave part of a
 * parameter's gradient outside the parameter's gradient array; whoever runs the optimizer must then, for every
 * parameter and after every backward pass and before the next update, call {@link #takeColumnGradient} and
 * update from what it returns (or from the gradient array if it returns null). {@link TrainerPrimalOptimizer}
 * does this for the blocks of its trainer's model when its optimizer is a {@link StatefulOptimizer}; a loop that
 * calls DJL's {@code Trainer.step()} must leave it disabled (the default).
 */
public interface ColumnGradientSource {

    /**
     * Lets (true) or stops (false) training passes leave column gradients to be taken.
     *
     * @param enabled whether column gradients are handed out
     */
    void setColumnGradients(boolean enabled);

    /**
     * Returns whether column gradients are handed out.
     *
     * @return true if enabled
     */
    boolean isColumnGradients();

    /**
     * Removes and returns the gradient of {@code parameter} left by the training passes since the last call, or
     * null when all of it is in the parameter's gradient array (or the parameter is not one of this block's).
     *
     * @param parameter a parameter of this block
     * @return the gradient to update from, or null
     */
    ColumnGradient takeColumnGradient(Parameter parameter);
}
