package io.github.lagrange4j.l0.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.KeptMasks;
import io.github.lagrange4j.l0.nn.AlignedConv2d;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * Compacts a trained gated {@code SequentialBlock} into an ordinary one with the inputs and channels
 * of {@link KeptMasks} only and the deterministic gates ẑ folded into the weights.
 *
 * <pre>
 *   dense:        W' = W[out, in] · diag(ẑ[in]),     b' = b[out]
 *   convolution:  W' = ẑ[out] · W[out, in, :, :],    b' = ẑ[out] · b[out]
 * </pre>
 *
 * <p>Each {@link L0Linear} becomes {@link InputSelection} + {@code Linear}, each {@link L0Conv2d} a
 * {@code Conv2d} (an {@link AlignedConv2d} with the gated layer's channel alignment); parameter-free children (activations, pooling, flatten) are reused as they are.
 * The compacted block's inference outputs equal the gated block's inference outputs (up to float
 * rounding) and its parameter count equals {@link KeptMasks#keptParameters(GatedNetwork)}. The gated
 * block must be a flat, initialised {@code SequentialBlock} satisfying the {@link GatedNetwork}
 * structure; it is not modified.
 *
 * <p>Dense layers after a convolution read the channel-major flatten {@code i = c · H·W + h · W + w}:
 * input {@code i} is kept iff its own gate and the gate of channel {@code c} are non-zero, and the
 * compacted input index is {@code rank(c) · H·W + (i mod H·W)}, where {@code rank(c)} is the position of
 * {@code c} among the channels the compacted convolution keeps. ẑ is the layer's own test-time
 * convention ({@link io.github.lagrange4j.l0.gate.TestTimeGate}), the one its inference forward uses.
 *
 * <p>Output equality is tested on the MLP 784-300-100-10 and on LeNet-5-Caffe with hand-set and random
 * gates (dead and fractional conv channels, fc1 inputs and fc2 inputs). Note on the PyTorch engine: on
 * some AVX-512 CPUs its oneDNN convolution is wrong when a convolution has more than 16 input channels
 * and not a multiple of 16 (LeNet's second convolution has 20); the gated model then disagrees with an
 * exact computation by 0.1-0.2 in the logits and so, apparently, with its compaction. The {@code lagrange4j}
 * launcher's kernel self-check detects such a CPU and caps oneDNN's instruction set
 * ({@code ONEDNN_MAX_CPU_ISA}, which must be set before the engine loads) only there.
 *
 * <p>Order of calls: train the gated block; {@code compact(gated, model.getNDManager())}; optionally
 * {@link Agreement#measure} on held-out data; {@code model.setBlock(result.block())}; {@code model.save(dir, name)}; store {@link
 * CompactedModel#keptOutputs()}; to reload, {@link #skeleton} from a fresh gated template, {@code
 * model.setBlock}, {@code model.load}.
 */
public final class Compaction {

    private Compaction() {}

    /**
     * Compacts a gated model.
     *
     * @param gated the trained gated block (flat SequentialBlock)
     * @param manager the manager that will own the compacted parameters (e.g. the new model's)
     * @return the compacted block and its kept sizes
     * @throws IllegalArgumentException if a child has parameters but is not a gated layer
     * @throws IllegalStateException if a gated layer keeps no output
     */
    public static CompactedModel compact(SequentialBlock gated, NDManager manager) {
        GatedNetwork network = GatedNetwork.of(gated);
        KeptMasks masks = KeptMasks.of(network);
        List<Long> keptOutputs = new ArrayList<>();
        for (int k = 0; k < network.size(); k++) {
            long kept = KeptMasks.indices(masks.outputs().get(k)).length;
            if (kept == 0) {
                throw new IllegalStateException(
                        "gated layer " + network.names().get(k)
                                + " keeps no output: the compacted network would be constant");
            }
            keptOutputs.add(kept);
        }
        SequentialBlock compact = skeleton(gated, keptOutputs);
        List<Block> children = new ArrayList<>(compact.getChildren().values());
        int k = 0;
        int c = 0;
        for (Pair<String, Block> child : gated.getChildren()) {
            Block block = child.getValue();
            if (block instanceof GatedLayer) {
                if (block instanceof L0Linear) {
                    InputSelection selection = (InputSelection) children.get(c++);
                    long[] in = denseInputIndices(network, masks, k);
                    selection.setIndices(in);
                    foldDense((L0Linear) block, masks, k, (Linear) children.get(c++), manager);
                } else {
                    foldConv((L0Conv2d) block, masks, k, (Conv2d) children.get(c++), manager);
                }
                k++;
            } else {
                c++;
            }
        }
        compact.initialize(manager, DataType.FLOAT32, gated.getInputShapes());
        long count = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : compact.getParameters()) {
            count += p.getValue().getArray().size();
        }
        return new CompactedModel(compact, keptOutputs, count);
    }

    /**
     * Builds the uninitialised structure of a compacted model, for loading a saved one: the gated
     * template's children with each {@link L0Linear} replaced by {@link InputSelection} + {@code
     * Linear(units = keptOutputs[k])} and each {@link L0Conv2d} by {@code Conv2d(filters =
     * keptOutputs[k])} with the same kernel, stride and padding.
     *
     * @param gatedTemplate a gated block of the original architecture (need not be initialised)
     * @param keptOutputs the kept outputs of each gated layer ({@link CompactedModel#keptOutputs()})
     * @return the skeleton
     */
    public static SequentialBlock skeleton(SequentialBlock gatedTemplate, List<Long> keptOutputs) {
        SequentialBlock out = new SequentialBlock();
        int k = 0;
        for (Pair<String, Block> child : gatedTemplate.getChildren()) {
            Block block = child.getValue();
            if (block instanceof L0Linear) {
                out.add(new InputSelection(new long[0]));
                out.add(Linear.builder().setUnits(kept(keptOutputs, k++)).build());
            } else if (block instanceof L0Conv2d) {
                L0Conv2d conv = (L0Conv2d) block;
                out.add(
                        AlignedConv2d.build(
                                Conv2d.builder()
                                        .setFilters((int) kept(keptOutputs, k++))
                                        .setKernelShape(conv.kernelShape())
                                        .optStride(conv.stride())
                                        .optPadding(conv.padding()),
                                conv.channelAlignment(),
                                conv.channelsLast()));
            } else if (block instanceof GatedLayer || !block.getParameters().isEmpty()) {
                throw new IllegalArgumentException(
                        "cannot compact child "
                                + child.getKey()
                                + ": only L0Linear, L0Conv2d and parameter-free blocks are supported");
            } else {
                out.add(block);
            }
        }
        if (k != keptOutputs.size()) {
            throw new IllegalArgumentException(
                    "keptOutputs must have one entry per gated layer (" + k + "), got "
                            + keptOutputs.size());
        }
        return out;
    }

    private static long kept(List<Long> keptOutputs, int k) {
        if (k >= keptOutputs.size()) {
            throw new IllegalArgumentException(
                    "keptOutputs has " + keptOutputs.size() + " entries, fewer than the gated layers");
        }
        long v = keptOutputs.get(k);
        if (v < 1) {
            throw new IllegalArgumentException("keptOutputs[" + k + "] must be >= 1, got " + v);
        }
        return v;
    }

    /** Indices, in the compacted input of dense layer k, of its kept inputs. */
    private static long[] denseInputIndices(GatedNetwork network, KeptMasks masks, int k) {
        long[] in = KeptMasks.indices(masks.inputs().get(k));
        if (k == 0 || network.layers().get(k - 1) instanceof L0Linear) {
            if (k == 0) {
                return in;
            }
            // the previous compacted dense layer outputs exactly its kept outputs, in order
            return rank(KeptMasks.indices(masks.outputs().get(k - 1)), in, 1);
        }
        long positions = network.positionsPerChannel(k);
        long[] channels = KeptMasks.indices(masks.outputs().get(k - 1));
        long[] out = new long[in.length];
        for (int j = 0; j < in.length; j++) {
            long channel = in[j] / positions;
            int r = java.util.Arrays.binarySearch(channels, channel);
            out[j] = r * positions + in[j] % positions;
        }
        return out;
    }

    private static long[] rank(long[] kept, long[] wanted, long unit) {
        long[] out = new long[wanted.length];
        for (int j = 0; j < wanted.length; j++) {
            out[j] = java.util.Arrays.binarySearch(kept, wanted[j]) * unit;
        }
        return out;
    }

    private static void foldDense(
            L0Linear layer, KeptMasks masks, int k, Linear target, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(KeptMasks.indices(masks.inputs().get(k)));
            NDArray out = scope.create(KeptMasks.indices(masks.outputs().get(k)));
            NDArray w = copy(layer.weight().getArray(), scope);
            NDArray b = copy(layer.bias().getArray(), scope);
            NDArray z = layer.deterministicGates(scope).get(in);
            NDArray folded = w.get(out).get(new NDIndex(":, {}", in)).mul(z);
            NDArray bias = b.get(out);
            folded.attach(manager);
            bias.attach(manager);
            target.getParameters().get("weight").setArray(folded);
            target.getParameters().get("bias").setArray(bias);
        }
    }

    private static void foldConv(
            L0Conv2d layer, KeptMasks masks, int k, Conv2d target, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(KeptMasks.indices(masks.inputs().get(k)));
            NDArray out = scope.create(KeptMasks.indices(masks.outputs().get(k)));
            NDArray w = copy(layer.weight().getArray(), scope);
            NDArray b = copy(layer.bias().getArray(), scope);
            NDArray z = layer.deterministicGates(scope).get(out);
            long n = out.size();
            NDArray folded = w.get(out).get(new NDIndex(":, {}", in)).mul(z.reshape(n, 1, 1, 1));
            NDArray bias = b.get(out).mul(z);
            folded.attach(manager);
            bias.attach(manager);
            target.getParameters().get("weight").setArray(folded);
            target.getParameters().get("bias").setArray(bias);
        }
    }

    private static NDArray copy(NDArray array, NDManager scope) {
        NDArray c = array.duplicate();
        c.attach(scope);
        return c;
    }

}
