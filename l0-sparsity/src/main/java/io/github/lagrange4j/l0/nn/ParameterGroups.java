package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A layer whose parameters are partitioned into groups, one per gate (group sparsity).
 *
 * <p>Both methods need an initialised layer.
 */
public interface ParameterGroups {

    /**
     * Returns the group sizes.
     *
     * @return the number of gates, parameters per gate and ungated parameters
     * @throws IllegalStateException if the layer is not initialised
     */
    GroupShape groupShape();

    /**
     * Computes {@code ||θ_g||²} for every group g (the input column of a dense weight; the filter and
     * bias of a convolution channel), differentiable in the parameters.
     *
     * @param manager the manager that owns the result and its intermediates
     * @return a vector of one squared norm per gate, owned by {@code manager}
     */
    NDArray groupSquaredNorms(NDManager manager);
}
