package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.lagrange4j.constrained.util.SharedConstants;

/**
 * A DJL block whose parameter groups are switched on and off by hard-concrete gates {@code z_g} with
 * parameters {@code log α_g} (Louizos et al., 2018).
 *
 * <p>Expected active parameters {@code = Σ_g P(z_g ≠ 0) · |g|}; expected density {@code = Σ_g P(z_g ≠
 * 0) · |g| / Σ_g |g|}. In training ({@code training == true}) the forward pass uses a random gate
 * sample; in inference the deterministic gate {@link GateConfig#testTimeGate()}. All methods below
 * need an initialised block; results land in the given manager, which the caller owns.
 */
public interface GatedLayer extends Block, ParameterGroups {

    /**
     * Returns the gate parameter log α (one entry per gate; its name is {@code log_alpha}).
     *
     * @return the gate parameter
     */
    Parameter logAlpha();

    /**
     * Returns the gate settings.
     *
     * @return the gate settings
     */
    GateConfig gateConfig();

    /**
     * Computes {@code P(z_g ≠ 0)} for every gate, differentiable in log α.
     *
     * @param manager the manager that owns the result
     * @return a vector of probabilities
     */
    default NDArray probabilityNonZero(NDManager manager) {
        return gateConfig().hardConcrete().probabilityNonZero(logAlpha().getArray(), manager);
    }

    /**
     * Computes the expected number of active sparsifiable parameters {@code Σ_g P(z_g ≠ 0) · |g|},
     * differentiable in log α.
     *
     * @param manager the manager that owns the result
     * @return a scalar
     */
    default NDArray expectedActiveParameters(NDManager manager) {
        NDArray probabilitySum = probabilityNonZero(manager).sum();
        return probabilitySum.mul(SharedConstants.of(probabilitySum, groupShape().groupSize()));
    }

    /**
     * Computes the deterministic test-time gates ẑ.
     *
     * @param manager the manager that owns the result
     * @return a vector in {@code [0, 1]}
     */
    default NDArray deterministicGates(NDManager manager) {
        GateConfig c = gateConfig();
        return c.hardConcrete().deterministic(logAlpha().getArray(), c.testTimeGate(), manager);
    }

    /**
     * Tells, for every gate, whether its deterministic test-time value is non-zero.
     *
     * @return one flag per gate
     */
    default boolean[] keptGates() {
        NDArray logAlpha = logAlpha().getArray();
        try (NDManager scope = logAlpha.getManager().newSubManager()) {
            return deterministicGates(scope).gt(0).toBooleanArray();
        }
    }

    /**
     * Returns how many training forward passes computed over the live groups only (sparsity-aware training, see
     * {@link GatedBlock#setSparseCompute}); 0 for a layer without such a path.
     *
     * @return the number of sparse forward passes since the layer was created
     */
    default long sparseForwards() {
        return 0;
    }
}
