package io.github.lagrange4j.l0.account;

import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The inputs and outputs each gated layer really keeps at test time, after intersecting the
 * deterministic gates across consecutive layers.
 *
 * <p>Rules (forward, then backward from the last layer):
 *
 * <ul>
 *   <li>a convolution channel is produced iff its gate is non-zero (filter and bias are gated);
 *   <li>a dense input is alive iff its gate is non-zero and, after a convolution, the channel that
 *       feeds it is produced (all {@code H·W} flattened positions of a dead channel are dead);
 *   <li>a convolution's input channel is alive iff the previous convolution produced it;
 *   <li>an output is kept iff the next layer uses it: the next dense layer's input is alive, some
 *       position of the channel is alive in the next dense layer, or (convolution → convolution) the
 *       next convolution keeps an output; every output of the last layer is kept;
 *   <li>a layer that keeps no output keeps no input.
 * </ul>
 *
 * <p>Kept parameters: dense {@code |in|·|out| + |out|}, convolution {@code |out|·(|in|·kh·kw + 1)};
 * kept MACs: dense {@code |in|·|out|}, convolution {@code |out|·|in|·kh·kw·H_out·W_out}.
 *
 * @param inputs per layer, which inputs are kept (features or channels)
 * @param outputs per layer, which outputs are kept (units or channels)
 */
public record KeptMasks(List<boolean[]> inputs, List<boolean[]> outputs) {

    /** Copies the lists. */
    public KeptMasks {
        if (inputs.size() != outputs.size()) {
            throw new IllegalArgumentException(
                    "inputs and outputs must have one mask per layer, got "
                            + inputs.size() + " and " + outputs.size());
        }
        inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
    }

    /**
     * Computes the masks from the deterministic gates of a gated network.
     *
     * @param network the gated network
     * @return the kept masks
     */
    public static KeptMasks of(GatedNetwork network) {
        int n = network.size();
        List<boolean[]> gates = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            gates.add(network.layers().get(k).keptGates());
        }
        return of(network, gates);
    }

    /**
     * Computes the masks from given gate flags (one array per layer, one flag per gate).
     *
     * @param network the gated network (for its structure)
     * @param gates the non-zero flags of every layer's gates
     * @return the kept masks
     */
    public static KeptMasks of(GatedNetwork network, List<boolean[]> gates) {
        int n = network.size();
        if (gates.size() != n) {
            throw new IllegalArgumentException(
                    "gates must have one array per gated layer (" + n + "), got " + gates.size());
        }
        boolean[][] alive = new boolean[n][];
        for (int k = 0; k < n; k++) {
            boolean[] g = gates.get(k);
            if (g.length != network.layers().get(k).groupShape().gates()) {
                throw new IllegalArgumentException(
                        "gates of layer " + k + " must have length "
                                + network.layers().get(k).groupShape().gates() + ", got " + g.length);
            }
            boolean isConv = network.layers().get(k) instanceof L0Conv2d;
            if (isConv) {
                alive[k] = k > 0 ? gates.get(k - 1).clone() : filled((int) network.inputs(k));
            } else {
                alive[k] = g.clone();
                if (k > 0 && network.layers().get(k - 1) instanceof L0Conv2d) {
                    long positions = network.positionsPerChannel(k);
                    for (int i = 0; i < alive[k].length; i++) {
                        alive[k][i] &= gates.get(k - 1)[(int) (i / positions)];
                    }
                }
            }
        }
        boolean[][] in = new boolean[n][];
        boolean[][] out = new boolean[n][];
        for (int k = n - 1; k >= 0; k--) {
            boolean isConv = network.layers().get(k) instanceof L0Conv2d;
            boolean[] needed;
            if (k == n - 1) {
                needed = filled((int) network.outputs(k));
            } else if (network.layers().get(k + 1) instanceof L0Linear) {
                long positions = network.positionsPerChannel(k + 1);
                needed = new boolean[(int) network.outputs(k)];
                for (int i = 0; i < in[k + 1].length; i++) {
                    needed[(int) (i / positions)] |= in[k + 1][i];
                }
            } else {
                needed = new boolean[(int) network.outputs(k)];
                java.util.Arrays.fill(needed, count(out[k + 1]) > 0);
            }
            out[k] = needed.clone();
            if (isConv) {
                for (int c = 0; c < out[k].length; c++) {
                    out[k][c] &= gates.get(k)[c];
                }
            }
            in[k] = count(out[k]) > 0 ? alive[k] : new boolean[alive[k].length];
        }
        return new KeptMasks(List.of(in), List.of(out));
    }

    /**
     * Returns the kept parameters of layer {@code k}.
     *
     * @param network the gated network these masks belong to
     * @param k the layer index
     * @return the kept weights and biases
     */
    public long keptParameters(GatedNetwork network, int k) {
        long i = count(inputs.get(k));
        long o = count(outputs.get(k));
        if (network.layers().get(k) instanceof L0Conv2d) {
            return o * (i * ((L0Conv2d) network.layers().get(k)).kernelShape().size() + 1);
        }
        return i * o + o;
    }

    /**
     * Returns the kept multiply-accumulates per example of layer {@code k}.
     *
     * @param network the gated network these masks belong to
     * @param k the layer index
     * @return the kept MACs
     */
    public long keptMacs(GatedNetwork network, int k) {
        return count(inputs.get(k)) * count(outputs.get(k)) * network.macsPerPair(k);
    }

    /**
     * Returns the kept parameters of the whole network.
     *
     * @param network the gated network these masks belong to
     * @return the kept weights and biases
     */
    public long keptParameters(GatedNetwork network) {
        long sum = 0;
        for (int k = 0; k < inputs.size(); k++) {
            sum += keptParameters(network, k);
        }
        return sum;
    }

    /**
     * Returns the kept multiply-accumulates per example of the whole network.
     *
     * @param network the gated network these masks belong to
     * @return the kept MACs
     */
    public long keptMacs(GatedNetwork network) {
        long sum = 0;
        for (int k = 0; k < inputs.size(); k++) {
            sum += keptMacs(network, k);
        }
        return sum;
    }

    /**
     * Returns the indices of the true flags.
     *
     * @param mask the flags
     * @return the indices, ascending
     */
    public static long[] indices(boolean[] mask) {
        long[] idx = new long[count(mask)];
        int j = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                idx[j++] = i;
            }
        }
        return idx;
    }

    static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }
}
