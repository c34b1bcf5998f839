package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * The primal side of a constrained optimizer: opens gradient collectors and applies a descent
 * step to the primal parameters from their gradients.
 *
 * <p>Order of calls per step: {@link #newGradientCollector()} (the constrained optimizer computes
 * the Lagrangian and calls backward inside it), then {@link #step()}, which updates every
 * parameter and zeroes its gradient. The primal side never shares state with the dual side.
 * Implementations: {@link ParameterOptimizer} (any DJL {@code Optimizer} on free NDArrays or a
 * Block's parameters) and {@link TrainerPrimalOptimizer} (a DJL {@code Trainer}).
 */
public interface PrimalOptimizer {

    /**
     * Opens a gradient collector for one forward/backward pass.
     *
     * @return the collector (close it with try-with-resources)
     */
    GradientCollector newGradientCollector();

    /** Applies one descent step from the current gradients, then zeroes them. */
    void step();

    /**
     * Returns the parameters, in a fixed order (used for extragradient snapshots).
     *
     * @return the parameter arrays (owned by their creator, not by this object)
     */
    List<NDArray> parameters();
}
