package io.github.lagrange4j.l0.account;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses a deterministic gate mask that fills a budget under the true kept-parameter (or MAC) count of
 * the compacted model.
 *
 * <p>Rule: rank every gate of every layer by {@code P(z_g ≠ 0)} (ties by log α, then layer, then index),
 * start from no gate, and walk the ranking once: a gate is switched on iff the network with it still
 * satisfies the budget, where kept parameters and MACs are those of {@link KeptMasks} (the cross-layer
 * intersection compaction uses: a dense input fed by a dead channel or unit is dead, a layer without
 * outputs keeps no input). Kept counts only grow when a gate is added, so a gate that does not fit is
 * skipped and cheaper gates further down the ranking may still fill the rest.
 *
 * <p>Budgets (the same ratios {@code BudgetCheck} certifies):
 *
 * <ul>
 *   <li>model-wise: {@code keptParameters / totalParameters ≤ ε} over all gated layers (weights and
 *       biases, gates excluded);
 *   <li>layer-wise: for every layer {@code k}, {@code keptParameters_k / totalParameters_k ≤ ε_k};
 *   <li>MACs: {@code keptMacs / totalMacs ≤ f}.
 * </ul>
 *
 * <p>How close to ε the result lands depends on the granularity of the gates: the greedy fill stops
 * below ε by less than the cost of the cheapest gate that was left out (for the MLP 784-300-100-10 and
 * LeNet-5-Caffe at the paper budgets, well within 0.01 of ε). A budget below the cost of any single gate
 * yields the empty mask. Layer-wise budgets are coupled (a hidden unit is an output of one layer and an
 * input of the next): every layer stays within its ε and the mask is maximal (no gate left out fits), but
 * the layers whose units were ranked low may end well below their ε, e.g. when many cheap input gates were
 * ranked above the hidden units of an untrained network.
 *
 * <p>Call order: train the gated network; {@code modelWise}/{@code layerWise}/{@code macs} (reads log
 * α); {@link FixedMask#apply} to impose the mask; fine-tune the weights with the gates frozen.
 */
public final class BudgetMask {

    private BudgetMask() {}

    /**
     * Fills a model-wise parameter budget.
     *
     * @param network the gated network (its current log α is ranked)
     * @param epsilon the largest kept fraction of the gated layers' parameters, in [0, 1]
     * @return one flag array per layer, the gates to keep
     */
    public static List<boolean[]> modelWise(GatedNetwork network, double epsilon) {
        requireFraction("epsilon", epsilon);
        long total = network.totalParameters();
        return fill(network, scores(network), m -> (double) m.keptParameters(network) / total <= epsilon);
    }

    /**
     * Fills a layer-wise parameter budget: every layer's kept fraction at most its ε.
     *
     * @param network the gated network (its current log α is ranked)
     * @param epsilons one bound per gated layer, each in [0, 1]
     * @return one flag array per layer, the gates to keep
     */
    public static List<boolean[]> layerWise(GatedNetwork network, double[] epsilons) {
        if (epsilons.length != network.size()) {
            throw new IllegalArgumentException("epsilons must have one bound per gated layer (" + network.size()
                    + "), got " + epsilons.length);
        }
        for (double e : epsilons) {
            requireFraction("epsilons", e);
        }
        long[] totals = new long[network.size()];
        for (int k = 0; k < totals.length; k++) {
            totals[k] = network.layers().get(k).groupShape().totalParameters();
        }
        double[] eps = epsilons.clone();
        return fill(network, scores(network), m -> {
            for (int k = 0; k < totals.length; k++) {
                if (!((double) m.keptParameters(network, k) / totals[k] <= eps[k])) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Fills a MAC budget.
     *
     * @param network the gated network (its current log α is ranked)
     * @param fraction the largest kept fraction of the dense network's MACs per example, in [0, 1]
     * @return one flag array per layer, the gates to keep
     */
    public static List<boolean[]> macs(GatedNetwork network, double fraction) {
        requireFraction("fraction", fraction);
        long total = network.totalMacs();
        return fill(network, scores(network), m -> (double) m.keptMacs(network) / total <= fraction);
    }

    /**
     * Reads the ranking scores of every gate: {@code P(z ≠ 0)} in column 0 and log α in column 1 of each
     * gate's pair, flattened per layer as {@code [p_0, la_0, p_1, la_1, …]}.
     *
     * @param network the gated network
     * @return one array per layer
     */
    public static List<double[]> scores(GatedNetwork network) {
        List<double[]> out = new ArrayList<>();
        for (GatedLayer layer : network.layers()) {
            NDArray la = layer.logAlpha().getArray();
            float[] values = la.toFloatArray();
            HardConcrete hc = layer.gateConfig().hardConcrete();
            double[] pairs = new double[2 * values.length];
            for (int i = 0; i < values.length; i++) {
                pairs[2 * i] = hc.probabilityNonZero(values[i]);
                pairs[2 * i + 1] = values[i];
            }
            out.add(pairs);
        }
        return out;
    }

    /**
     * The greedy fill itself, for any budget expressed on the kept masks.
     *
     * @param network the gated network (for its structure)
     * @param scores per layer, {@code [p_0, la_0, p_1, la_1, …]} as from {@link #scores}
     * @param admits whether kept masks satisfy the budget; must hold for the empty mask's counts to be
     *     useful, and be monotone (more gates never turn a violated budget into a satisfied one)
     * @return one flag array per layer, the gates to keep
     */
    public static List<boolean[]> fill(GatedNetwork network, List<double[]> scores, Predicate<KeptMasks> admits) {
        int n = network.size();
        if (scores.size() != n) {
            throw new IllegalArgumentException("scores must have one array per gated layer (" + n + "), got "
                    + scores.size());
        }
        List<boolean[]> gates = new ArrayList<>();
        int count = 0;
        for (int k = 0; k < n; k++) {
            int g = (int) network.layers().get(k).groupShape().gates();
            if (scores.get(k).length != 2 * g) {
                throw new IllegalArgumentException("scores of layer " + k + " must have length " + 2 * g + ", got "
                        + scores.get(k).length);
            }
            gates.add(new boolean[g]);
            count += g;
        }
        long[] order = new long[count];
        int j = 0;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < gates.get(k).length; i++) {
                order[j++] = ((long) k << 32) | i;
            }
        }
        Long[] boxed = Arrays.stream(order).boxed().toArray(Long[]::new);
        Arrays.sort(boxed, (a, b) -> {
            double[] sa = scores.get((int) (a >>> 32));
            double[] sb = scores.get((int) (b >>> 32));
            int ia = (int) (long) a;
            int ib = (int) (long) b;
            int c = Double.compare(sb[2 * ib], sa[2 * ia]);
            if (c == 0) {
                c = Double.compare(sb[2 * ib + 1], sa[2 * ia + 1]);
            }
            return c != 0 ? c : Long.compare(a, b);
        });
        for (Long code : boxed) {
            boolean[] layer = gates.get((int) (code >>> 32));
            int i = (int) (long) code;
            layer[i] = true;
            if (!admits.test(KeptMasks.of(network, gates))) {
                layer[i] = false;
            }
        }
        return gates;
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }
}
