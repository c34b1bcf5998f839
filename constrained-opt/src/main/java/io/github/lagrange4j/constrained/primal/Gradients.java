package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;

/** Engine-neutral helpers for reading and clearing the gradient of a parameter. */
public final class Gradients {

    private Gradients() {}

    /**
     * Sets the gradient of {@code parameter} to zero in place, closing the temporary handles.
     *
     * <p>Needed because some engines (PyTorch) accumulate gradients across gradient collectors;
     * DJL's own PyTorch optimizers zero them after each update, so do ours.
     *
     * @param parameter a parameter that has a gradient
     */
    public static void zero(NDArray parameter) {
        if (!parameter.hasGradient()) {
            return;
        }
        // In place, through the engine: copyTo/set(Buffer) would make PyTorch's gradient tensor borrow
        // a JVM buffer that is freed with the temporary handle (heap corruption on the next backward).
        try (NDArray g = parameter.getGradient()) {
            g.muli(0);
        }
    }
}
