package io.github.lagrange4j.constrained.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a number that is safe inside differentiated code on every engine: use
 * {@code Scalars.mul(x, 0.5)} where you would write {@code x.mul(0.5)}.
 *
 * <p>Why: DJL's PyTorch engine implements {@code x.mul(Number)} (and {@code div}, {@code pow},
 * {@code maximum}, {@code minimum}, …) by wrapping the number in a temporary tensor whose memory is a JVM
 * direct buffer ({@code torch::from_blob}, no copy) and closing it right after the operation. Autograd
 * keeps that tensor for the backward pass (the gradient of {@code x · c} is {@code c}); once the garbage
 * collector has freed the buffer, backward reads freed memory. Measured with DJL 0.36.0 / PyTorch 2.7.1:
 * after a forced GC and a few thousand fresh 4-byte direct buffers holding 99, the gradient of
 * {@code x.mul(3f).sum()} read 99 instead of 3 in 50 of 50 trials. The constants made here are created by
 * the engine itself ({@code zeros} then an in-place add), so the engine owns their memory and autograd's
 * reference keeps it alive after DJL closes its handle: 0 of 50 wrong in the same test.
 * {@code add}/{@code sub} of a number are safe (their gradient does not read the constant).
 *
 * <p>Ownership: {@link #constant} returns an array of the caller's (attached to {@code like}'s manager);
 * the other methods close their constant before returning and return an array in {@code x}'s manager.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * Creates a 0-dimensional constant in the data type and manager of {@code like}, in memory owned by the
     * engine.
     *
     * @param like the array whose manager and data type to use
     * @param value the value (exact in float64; rounded to the data type otherwise)
     * @return the constant, attached to {@code like}'s manager
     */
    public static NDArray constant(NDArray like, double value) {
        return constant(like.getManager(), like.getDataType(), value);
    }

    /**
     * Creates a 0-dimensional constant of the given data type in {@code manager}, in memory owned by the
     * engine.
     *
     * @param manager the manager that owns the constant
     * @param type the data type
     * @param value the value (exact in float64; rounded to the data type otherwise)
     * @return the constant, attached to {@code manager}
     */
    public static NDArray constant(NDManager manager, DataType type, double value) {
        // the number's temporary array is only read by this in-place add, which has no backward
        if (type == DataType.FLOAT64) {
            return manager.zeros(new Shape(), DataType.FLOAT64).addi(value);
        }
        NDArray c = manager.zeros(new Shape(), DataType.FLOAT32).addi((float) value);
        if (type == DataType.FLOAT32) {
            return c;
        }
        try (c) {
            return c.toType(type, true);
        }
    }

    /**
     * Returns {@code x · value}.
     *
     * @param x the array
     * @param value the factor
     * @return the product, in {@code x}'s manager
     */
    public static NDArray mul(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.mul(c);
        }
    }

    /**
     * Returns {@code x / value}.
     *
     * @param x the array
     * @param value the divisor
     * @return the quotient, in {@code x}'s manager
     */
    public static NDArray div(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.div(c);
        }
    }

    /**
     * Returns {@code x ^ value}, element-wise.
     *
     * @param x the array
     * @param value the exponent
     * @return the power, in {@code x}'s manager
     */
    public static NDArray pow(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.pow(c);
        }
    }

    /**
     * Returns {@code max(x, value)}, element-wise.
     *
     * @param x the array
     * @param value the lower bound
     * @return the maximum, in {@code x}'s manager
     */
    public static NDArray maximum(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.maximum(c);
        }
    }

    /**
     * Returns {@code min(x, value)}, element-wise.
     *
     * @param x the array
     * @param value the upper bound
     * @return the minimum, in {@code x}'s manager
     */
    public static NDArray minimum(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.minimum(c);
        }
    }
}
