package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;

/** Engine-side, in-place assignment of parameter values. */
public final class ParameterValues {

    private ParameterValues() {}

    /**
     * Overwrites {@code target} with {@code source} in place, exactly, through engine operators:
     * {@code target <- 0 * target + source}.
     *
     * <p>Not {@code copyTo}/{@code set(Buffer)}: on PyTorch those make the tensor borrow a JVM
     * buffer that can be freed while the tensor lives. Both values must be finite (a NaN or
     * infinite {@code target} would stay NaN); shapes and data types must match.
     *
     * @param target the array to overwrite (e.g. a parameter)
     * @param source the values (not modified, not closed)
     */
    public static void assign(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape()) || target.getDataType() != source.getDataType()) {
            throw new IllegalArgumentException("source must have the target's shape and type "
                    + target.getShape() + " " + target.getDataType() + ", got "
                    + source.getShape() + " " + source.getDataType());
        }
        target.muli(0).addi(source);
    }
}
