package io.github.lagrange4j.l0.account;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.ViolationGradientSink;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import io.github.lagrange4j.constrained.util.SharedConstants;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlphaTangent;
import io.github.lagrange4j.l0.gate.ManagedArrays;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;

/**
 * Expected costs of a gated network under its gate distributions, differentiable in log α (the
 * quantities that L0 penalties and density constraints act on).
 *
 * <pre>
 *   active_k  = Σ_{g ∈ k} P(z_g ≠ 0) · |g|
 *   density_k = active_k / Σ_{g ∈ k} |g|                   (layer-wise)
 *   density   = Σ_k active_k / Σ_k Σ_{g ∈ k} |g|           (model-wise, parameter-weighted)
 *   MACs      = Σ_k E[kept inputs_k] · E[kept outputs_k] · macsPerPair_k
 * </pre>
 *
 * <p>(Gallego-Posada, Ramirez et al., NeurIPS 2022, section 4; Louizos et al., 2018, Eq. 11.) Dense
 * biases are not sparsifiable; a convolution's bias belongs to its channel group. For MACs the kept
 * inputs of a layer are its own input gates (dense) times the gates of the convolution feeding them,
 * and the kept outputs of a dense layer are the input gates of the next dense layer (all units for
 * the last layer); with independent gates this is the exact expectation, and with gates fixed to 0/1
 * it is the MAC count after one-hop mask intersection. Every result lands in {@code manager}.
 */
public final class ExpectedCost {

    private ExpectedCost() {}

    /**
     * Computes the expected number of active sparsifiable parameters of every layer.
     *
     * @param network the gated network
     * @param manager the manager that owns the result
     * @return a vector with one entry per layer
     */
    public static NDArray layerActiveParameters(GatedNetwork network, NDManager manager) {
        NDList parts = new NDList();
        for (GatedLayer layer : network.layers()) {
            parts.add(layer.expectedActiveParameters(manager).reshape(1));
        }
        return NDArrays.concat(parts);
    }

    /**
     * Computes the expected density of every layer, {@code active_k / sparsifiable_k}.
     *
     * @param network the gated network
     * @param manager the manager that owns the result
     * @return a vector with one entry per layer, in {@code [0, 1]}
     */
    public static NDArray layerDensities(GatedNetwork network, NDManager manager) {
        float[] sizes = new float[network.size()];
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] = network.layers().get(k).groupShape().sparsifiableParameters();
        }
        NDArray active = layerActiveParameters(network, manager);
        return active.div(manager.create(sizes).toType(active.getDataType(), false));
    }

    /**
     * Computes the expected number of active sparsifiable parameters of the whole network.
     *
     * @param network the gated network
     * @param manager the manager that owns the result
     * @return a scalar
     */
    public static NDArray activeParameters(GatedNetwork network, NDManager manager) {
        return scaledActiveParameters(network, 1, manager);
    }

    /**
     * Computes the parameter-weighted expected density of the whole network.
     *
     * @param network the gated network
     * @param manager the manager that owns the result
     * @return a scalar in {@code [0, 1]}
     */
    public static NDArray density(GatedNetwork network, NDManager manager) {
        return scaledActiveParameters(network, 1.0 / network.sparsifiableParameters(), manager);
    }

    /**
     * Computes the constraint function {@code density − ε}: this step's {@link #density} minus {@code epsilon}, in
     * float32. When the density is a leaf of the step's {@link LogAlphaTangent} outside the graph, the leaf holds
     * the difference itself ({@code fl(fl(density) − ε)}, the engine's float32 subtraction done in Java: the same
     * bits, one engine operation less), with the density's slopes, and {@link #gradientSink} takes it in the
     * density's place; otherwise the density minus ε on the engine.
     *
     * @param network the gated network
     * @param epsilon the target density ε
     * @param manager the manager that owns the result
     * @return a scalar
     */
    public static NDArray densityMinus(GatedNetwork network, float epsilon, NDManager manager) {
        LogAlphaTangent tangent = closedFormTangent(network);
        if (tangent != null && tangent.gradientsOutsideTheGraph()) {
            ClosedForm f = closedForm(network, tangent, 1.0 / network.sparsifiableParameters());
            return tangent.expandSum((float) f.value() - epsilon, f.slope(), manager);
        }
        NDArray d = density(network, manager);
        return d.sub(SharedConstants.of(d, epsilon));
    }

    /**
     * The point of expansion at which this step's expected costs are computed in closed form (one hard-concrete
     * distribution for all layers, drawn jointly at a tangent), or null.
     */
    private static LogAlphaTangent closedFormTangent(GatedNetwork network) {
        return drawnJointly(network) ? network.jointTangent() : null;
    }

    /** Whether the expected costs are computed on one concatenated log α: several layers, one distribution. */
    private static boolean drawnJointly(GatedNetwork network) {
        return network.size() > 1 && network.sharesOneHardConcrete();
    }

    /** {@code c · Σ_j |g_j| P(z_j ≠ 0)} at the tangent's log α, and its slopes in log α. */
    private record ClosedForm(double value, float[] slope) {}

    private static ClosedForm closedForm(GatedNetwork network, LogAlphaTangent tangent, double c) {
        HardConcrete hc = network.layers().get(0).gateConfig().hardConcrete();
        float[] slope = new float[tangent.size()];
        double sum = hc.weightedProbabilityNonZero(tangent.values(), network.gateGroupSizeValues(), slope);
        if (c != 1) {
            for (int j = 0; j < slope.length; j++) {
                slope[j] = (float) (slope[j] * c);
            }
        }
        return new ClosedForm(sum * c, slope);
    }

    /**
     * Where the gradient of a constraint {@code density − ε} goes outside the graph, when {@code density} is
     * this step's {@link #density} (or {@code density − ε} is this step's {@link #densityMinus}) in closed form
     * (the network's gates drawn jointly, their gradients outside the graph: a leaf of the step's {@link
     * LogAlphaTangent}); null otherwise. {@code ∂L/∂density} is then added to the leaf's gradient and reaches log
     * α with the leaf's slopes.
     *
     * @param network the gated network
     * @param density a result of {@link #density} or {@link #densityMinus} for this step
     * @return the sink, or null
     */
    public static ViolationGradientSink gradientSink(GatedNetwork network, NDArray density) {
        LogAlphaTangent tangent = network.jointTangent();
        return tangent == null ? null : tangent.gradientSinkFor(density);
    }

    /**
     * {@code c · Σ_j |g_j| P(z_j ≠ 0)}. With one hard-concrete distribution for all layers it is computed on one
     * concatenated log α: in closed form in Java and joined to the graph at this step's log α when the network
     * has a tangent for the running step ({@link LogAlphaTangent}, {@code c} folded into the value and slopes),
     * otherwise on the engine (6 operations instead of 6 per layer).
     */
    private static NDArray scaledActiveParameters(GatedNetwork network, double c, NDManager manager) {
        LogAlphaTangent tangent = closedFormTangent(network);
        if (tangent != null) {
            ClosedForm f = closedForm(network, tangent, c);
            return tangent.expandSum(f.value(), f.slope(), manager);
        }
        NDArray active;
        if (drawnJointly(network)) {
            HardConcrete hc = network.layers().get(0).gateConfig().hardConcrete();
            NDArray logAlpha = network.jointLogAlpha();
            if (logAlpha == null) {
                NDList logAlphas = new NDList(network.size());
                for (GatedLayer layer : network.layers()) {
                    logAlphas.add(layer.logAlpha().getArray());
                }
                logAlpha = ManagedArrays.owned(NDArrays.concat(logAlphas), manager);
            }
            active = hc.probabilityNonZero(logAlpha, manager).mul(network.gateGroupSizes()).sum();
        } else {
            active = layerActiveParameters(network, manager).sum();
        }
        return c == 1 ? active : scaled(active, c);
    }

    /**
     * Computes the expected multiply-accumulates per example.
     *
     * @param network the gated network
     * @param manager the manager that owns the result
     * @return a scalar
     */
    public static NDArray macs(GatedNetwork network, NDManager manager) {
        int n = network.size();
        NDArray[] p = new NDArray[n];
        for (int k = 0; k < n; k++) {
            p[k] = network.layers().get(k).probabilityNonZero(manager);
        }
        NDArray total = null;
        for (int k = 0; k < n; k++) {
            GatedLayer layer = network.layers().get(k);
            NDArray keptIn;
            NDArray keptOut;
            if (layer instanceof L0Conv2d) {
                keptOut = p[k].sum();
                keptIn =
                        k > 0
                                ? p[k - 1].sum()
                                : manager.create((float) network.inputs(k)).toType(p[k].getDataType(), false);
            } else {
                NDArray q = p[k];
                if (k > 0 && network.layers().get(k - 1) instanceof L0Conv2d) {
                    long positions = network.positionsPerChannel(k);
                    long filters = network.outputs(k - 1);
                    NDArray channel =
                            p[k - 1].reshape(filters, 1).broadcast(filters, positions).reshape(-1);
                    q = q.mul(channel);
                }
                keptIn = q.sum();
                keptOut =
                        k + 1 < n
                                ? p[k + 1].sum()
                                : manager.create((float) network.outputs(k)).toType(p[k].getDataType(), false);
            }
            NDArray macs = scaled(keptIn.mul(keptOut), network.macsPerPair(k));
            total = total == null ? macs : total.add(macs);
        }
        return total;
    }

    /** {@code x · c} with the constant kept alive until backward (see {@link ScalarArrays}). */
    private static NDArray scaled(NDArray x, double c) {
        return x.mul(SharedConstants.of(x, c));
    }
}
