package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;

/**
 * A differentiable penalty on the gates added to the task loss (the penalized baseline of the L0
 * literature): see {@link LouizosPenalty} and {@link DensityPenalty}.
 */
@FunctionalInterface
public interface L0Penalty {

    /**
     * Computes the penalty, differentiable in log α (and, for an L2 term, in the weights).
     *
     * @param manager the manager of the current step, which owns the result
     * @return a scalar
     */
    NDArray compute(NDManager manager);

    /**
     * Lists the gated layers whose gates this penalty reads; an {@link L0Problem} keeps their log α within
     * {@code [LogAlpha.MIN, LogAlpha.MAX]} after every step. The default lists none.
     *
     * @return the gated layers (an empty list by default)
     */
    default List<GatedLayer> gates() {
        return List.of();
    }
}
