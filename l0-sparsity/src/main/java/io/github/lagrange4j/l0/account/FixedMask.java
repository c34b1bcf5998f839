package io.github.lagrange4j.l0.account;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedBlock;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * Imposes a chosen gate mask on a gated network, so that its deterministic gates are exactly 1 on the
 * chosen gates and exactly 0 elsewhere, and tells which mask a network carries.
 *
 * <p>Rule, per gate {@code g} with old deterministic gate {@code ẑ_g}: a kept gate gets {@code log α =}
 * {@link LogAlpha#MAX} (ẑ = 1 in both test-time conventions) and its weights (a dense layer's input
 * column; a convolution's filter and bias) are multiplied by {@code ẑ_g} if {@code ẑ_g > 0}, so the
 * inference function of the gates that were already on is unchanged; a gate switched on by the fill
 * ({@code ẑ_g = 0}) keeps its raw trained weights. A dropped gate gets {@code log α =} {@link LogAlpha#MIN}
 * (ẑ = 0). Afterwards {@link KeptMasks#of(GatedNetwork)} of the network equals {@link
 * KeptMasks#of(GatedNetwork, List)} of the mask.
 *
 * <p>Freeze the gates afterwards: exclude log α from the optimizer and run the forward pass in inference
 * mode (deterministic gates, no noise). At {@code ±4.6} the deterministic gate is saturated, so its
 * gradient with respect to log α is zero and the mask cannot drift. Call outside any gradient collector.
 */
public final class FixedMask {

    private FixedMask() {}

    /**
     * Imposes a mask.
     *
     * @param network the gated network, modified in place
     * @param keep one flag array per layer, the gates to keep
     */
    public static void apply(GatedNetwork network, List<boolean[]> keep) {
        if (keep.size() != network.size()) {
            throw new IllegalArgumentException("keep must have one array per gated layer (" + network.size()
                    + "), got " + keep.size());
        }
        for (int k = 0; k < network.size(); k++) {
            GatedLayer layer = network.layers().get(k);
            boolean[] flags = keep.get(k);
            if (flags.length != layer.groupShape().gates()) {
                throw new IllegalArgumentException("keep of layer " + k + " must have length "
                        + layer.groupShape().gates() + ", got " + flags.length);
            }
            if (!(layer instanceof GatedBlock block)) {
                throw new IllegalArgumentException("layer " + k + " is not a GatedBlock: " + layer.getClass());
            }
            NDArray la = layer.logAlpha().getArray();
            try (NDManager scope = la.getManager().newSubManager()) {
                float[] z = layer.deterministicGates(scope).toFloatArray();
                float[] factor = new float[flags.length];
                float[] target = new float[flags.length];
                for (int i = 0; i < flags.length; i++) {
                    factor[i] = flags[i] && z[i] > 0 ? z[i] : 1f;
                    target[i] = (float) (flags[i] ? LogAlpha.MAX : LogAlpha.MIN);
                }
                NDArray f = scope.create(factor);
                NDArray w = block.weight().getArray();
                if (layer instanceof L0Conv2d) {
                    w.muli(f.reshape(flags.length, 1, 1, 1));
                    block.bias().getArray().muli(f);
                } else {
                    w.muli(f.reshape(1, flags.length));
                }
                ParameterValues.assign(la, scope.create(target).reshape(la.getShape()));
            }
        }
    }

    /**
     * Tells which gates a network's deterministic gates keep (ẑ &gt; 0).
     *
     * @param network the gated network
     * @return one flag array per layer
     */
    public static List<boolean[]> of(GatedNetwork network) {
        List<boolean[]> out = new ArrayList<>();
        for (GatedLayer layer : network.layers()) {
            out.add(layer.keptGates());
        }
        return out;
    }
}
