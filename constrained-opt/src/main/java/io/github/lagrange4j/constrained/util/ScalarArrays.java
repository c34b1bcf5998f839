package io.github.lagrange4j.constrained.util;

import ai.djl.ndarray.NDArray;

/**
 * Scalar constants as arrays for use inside differentiated code; see {@link Scalars} for why
 * {@code x.mul(2f)} is unsafe there on DJL's PyTorch engine and for the operations that close their
 * constant at once.
 *
 * <p>An array from this class is created by the engine (its memory is the engine's, not a JVM buffer)
 * and attached to the manager of {@code like} (the step's scope during training). Use it for {@code mul},
 * {@code div}, {@code pow}, {@code maximum}, {@code minimum} on arrays that require gradients;
 * {@code add}/{@code sub} of a number are safe.
 */
public final class ScalarArrays {

    private ScalarArrays() {}

    /**
     * Creates a 0-dimensional array holding {@code value} in the data type and manager of {@code like}.
     *
     * @param like the array whose manager and data type to use
     * @param value the value
     * @return the constant, owned by {@code like}'s manager
     */
    public static NDArray of(NDArray like, double value) {
        return Scalars.constant(like, value);
    }
}
