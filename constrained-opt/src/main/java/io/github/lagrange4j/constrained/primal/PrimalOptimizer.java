package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 *
 * <p>Checkpoints: a primal side saves and restores its own state ({@link #saveState}, {@link #loadState}), so
 * that whoever checkpoints the constrained optimizer never asks what kind of primal side it holds. Every state
 * starts with a {@link PrimalState} header (kind and layout version); a primal side without state keeps the
 * default, which writes the header of kind {@code "stateless"} and nothing else. To resume, build the primal
 * side exactly as for the original run, then {@link #loadState}.
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

    /**
     * Writes this primal side's state (parameter values it owns, its optimizer's buffers and step counts),
     * starting with its {@link PrimalState} header. The default, for a primal side without state, writes the
     * header of kind {@value PrimalState#STATELESS}, version 1, and nothing else.
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    default void saveState(DataOutputStream out) throws IOException {
        PrimalState.write(out, PrimalState.STATELESS, 1);
    }

    /**
     * Restores a state written by {@link #saveState} of a primal side built like this one. The default reads
     * the header of kind {@value PrimalState#STATELESS}.
     *
     * @param in the stream
     * @param manager the manager that will own restored optimizer buffers (it must outlive this object's use)
     * @throws IOException on read failure, or if the state is of another kind, layout version or shape
     */
    default void loadState(DataInputStream in, NDManager manager) throws IOException {
        PrimalState.read(in, PrimalState.STATELESS, 1);
    }
}
