package io.github.lagrange4j.l0.account;

import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

/**
 * A snapshot of the accounting of a whole gated network: expected density (parameter-weighted over
 * all gated layers), the pruned architecture, and the true kept parameters and MACs after mask
 * intersection (see {@link KeptMasks}).
 *
 * <p>The pruned architecture lists, layer by layer, the number of gates whose deterministic test-time
 * value is non-zero (no intersection), e.g. {@code 198-233-100} for the MLP 784-300-100-10 (kept
 * pixels, hidden-1 units, hidden-2 units) or {@code 20-21-34-407} for LeNet-5-Caffe (conv1 maps,
 * conv2 maps, fc1 inputs, fc2 inputs).
 *
 * @param layers per-layer accounting in data-flow order
 * @param prunedArchitecture the kept gate counts joined with {@code -}
 * @param expectedDensity the model-wise expected density in {@code [0, 1]}
 * @param expectedMacs the expected MACs per example (see {@link ExpectedCost#macs})
 * @param totalParameters weights and biases of all gated layers
 * @param keptParameters kept weights and biases after mask intersection
 * @param totalMacs MACs per example of the dense network
 * @param keptMacs MACs per example after mask intersection
 */
public record NetworkAccount(
        List<LayerAccount> layers,
        String prunedArchitecture,
        double expectedDensity,
        double expectedMacs,
        long totalParameters,
        long keptParameters,
        long totalMacs,
        long keptMacs) {

    /** Copies the layer list. */
    public NetworkAccount {
        layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    /**
     * Computes the accounting of a gated network from its current log α.
     *
     * @param network the gated network
     * @return the snapshot
     */
    public static NetworkAccount of(GatedNetwork network) {
        KeptMasks masks = KeptMasks.of(network);
        List<LayerAccount> layers = new ArrayList<>();
        StringJoiner arch = new StringJoiner("-");
        NDManager parent = network.layers().get(0).logAlpha().getArray().getManager();
        try (NDManager scope = parent.newSubManager()) {
            float[] active = ExpectedCost.layerActiveParameters(network, scope).toFloatArray();
            double expectedMacs = ExpectedCost.macs(network, scope).getFloat();
            double activeSum = 0;
            for (int k = 0; k < network.size(); k++) {
                GatedLayer layer = network.layers().get(k);
                long kept = KeptMasks.count(layer.keptGates());
                arch.add(Long.toString(kept));
                long sparsifiable = layer.groupShape().sparsifiableParameters();
                activeSum += active[k];
                layers.add(
                        new LayerAccount(
                                network.names().get(k),
                                layer.groupShape().gates(),
                                kept,
                                layer.groupShape().totalParameters(),
                                sparsifiable,
                                active[k],
                                active[k] / sparsifiable,
                                masks.keptParameters(network, k),
                                network.inputs(k) * network.outputs(k) * network.macsPerPair(k),
                                masks.keptMacs(network, k)));
            }
            return new NetworkAccount(
                    layers,
                    arch.toString(),
                    activeSum / network.sparsifiableParameters(),
                    expectedMacs,
                    network.totalParameters(),
                    masks.keptParameters(network),
                    network.totalMacs(),
                    masks.keptMacs(network));
        }
    }

    /**
     * Returns the fraction of parameters kept after compaction, {@code keptParameters /
     * totalParameters}.
     *
     * @return the kept fraction
     */
    public double keptParameterFraction() {
        return (double) keptParameters / totalParameters;
    }

    /**
     * Returns the expected density of each layer.
     *
     * @return one density per layer
     */
    public double[] layerDensities() {
        return layers.stream().mapToDouble(LayerAccount::expectedDensity).toArray();
    }
}
