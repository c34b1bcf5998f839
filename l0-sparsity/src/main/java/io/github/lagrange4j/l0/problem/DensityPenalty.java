package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import io.github.lagrange4j.constrained.util.SharedConstants;
import io.github.lagrange4j.l0.account.ExpectedCost;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;

/**
 * The penalized baseline of the NeurIPS 2022 code: {@code R = λ · density}, with the model-wise
 * expected, parameter-weighted density of {@link ExpectedCost#density}.
 *
 * @param network the gated network
 * @param lambda λ, {@code ≥ 0}
 */
public record DensityPenalty(GatedNetwork network, double lambda) implements L0Penalty {

    /** Validates the coefficient. */
    public DensityPenalty {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
    }

    /**
     * Returns the layers of the network.
     *
     * @return {@code network.layers()}
     */
    @Override
    public List<GatedLayer> gates() {
        return network.layers();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(NDManager manager) {
        return scaled(ExpectedCost.density(network, manager), lambda);
    }

    /** {@code x · c} with the constant kept alive until backward (see {@link ScalarArrays}). */
    private static NDArray scaled(NDArray x, double c) {
        return x.mul(SharedConstants.of(x, c));
    }
}
