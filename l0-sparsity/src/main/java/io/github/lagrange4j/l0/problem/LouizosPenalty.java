package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import io.github.lagrange4j.constrained.util.SharedConstants;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;

/**
 * The per-datapoint L0 penalty of Louizos, Welling and Kingma (ICLR 2018, Eq. 9 and 14), with an
 * optional expected L2 term:
 *
 * <pre>
 *   R = Σ_g P(z_g ≠ 0) · ( (λ / N) · |g| + (wd / (2N)) · ||θ_g||² )
 * </pre>
 *
 * <p>N is the number of training points and |g| the number of parameters gate g controls. "λ =
 * 0.1/N" in the paper's tables means {@code lambda = 0.1} here (a penalty per expected active
 * parameter). Add it to the mean task loss.
 *
 * @param network the gated network
 * @param lambda λ, {@code ≥ 0}
 * @param datasetSize N, {@code ≥ 1}
 * @param weightDecay wd, {@code ≥ 0} (0 disables the L2 term)
 */
public record LouizosPenalty(
        GatedNetwork network, double lambda, long datasetSize, double weightDecay)
        implements L0Penalty {

    /** Validates the coefficients. */
    public LouizosPenalty {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (datasetSize < 1) {
            throw new IllegalArgumentException("datasetSize must be >= 1, got " + datasetSize);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /**
     * Creates the penalty without an L2 term.
     *
     * @param network the gated network
     * @param lambda λ, {@code ≥ 0}
     * @param datasetSize N, {@code ≥ 1}
     * @return the penalty
     */
    public static LouizosPenalty of(GatedNetwork network, double lambda, long datasetSize) {
        return new LouizosPenalty(network, lambda, datasetSize, 0);
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
        NDArray total = null;
        float l0 = (float) (lambda / datasetSize);
        float l2 = (float) (weightDecay / (2.0 * datasetSize));
        for (GatedLayer layer : network.layers()) {
            NDArray p = layer.probabilityNonZero(manager);
            NDArray term = scaled(p.sum(), l0 * layer.groupShape().groupSize());
            if (weightDecay > 0) {
                term = term.add(scaled(p.mul(layer.groupSquaredNorms(manager)).sum(), l2));
            }
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** {@code x · c} with the constant kept alive until backward (see {@link ScalarArrays}). */
    private static NDArray scaled(NDArray x, double c) {
        return x.mul(SharedConstants.of(x, c));
    }
}
