package io.github.lagrange4j.constrained.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar constants as arrays that live as long as their manager, for use inside differentiated code.
 *
 * <p>Why: {@code x.mul(2f)} makes DJL's PyTorch engine wrap the number in a temporary array that shares
 * a JVM direct buffer and closes it at once. Autograd may keep that tensor for the backward pass (the
 * gradient of {@code x · c} is {@code c}); once the garbage collector frees the buffer, backward reads
 * freed memory — wrong gradients or NaN, now and then. An array from this class is attached to the
 * manager of {@code like} (the step's scope during training) and stays valid until that manager closes.
 * Use it for {@code mul}, {@code div}, {@code pow}, {@code maximum}, {@code minimum} on arrays that
 * require gradients; {@code add}/{@code sub} of a number are safe.
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
        DataType type = like.getDataType();
        NDArray constant = type == DataType.FLOAT64
                ? like.getManager().create(value)
                : like.getManager().create((float) value);
        return type == DataType.FLOAT64 || type == DataType.FLOAT32 ? constant : constant.toType(type, false);
    }
}
