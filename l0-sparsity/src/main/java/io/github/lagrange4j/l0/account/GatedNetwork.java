package io.github.lagrange4j.l0.account;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import io.github.lagrange4j.l0.gate.LogAlphaTangent;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The ordered sequence of gated layers of a model, with the links between consecutive layers that
 * accounting and compaction need.
 *
 * <p>Structure assumed (the reference MLP and LeNet-5-Caffe have it): layers appear in data-flow
 * order; between two gated layers there are only parameter-free, channel-preserving blocks
 * (activations, pooling, a channel-major flatten); a convolution is followed by a convolution or a
 * dense layer, a dense layer by a dense layer. A dense layer after a convolution with {@code F}
 * channels sees {@code inputFeatures / F} consecutive flattened positions per channel (e.g. LeNet's
 * 800 = 50 · 4 · 4).
 *
 * <p>{@link #of(Block)} walks {@code block.getChildren()} depth first (a {@code SequentialBlock}'s
 * order is its data-flow order). The layers must be initialised.
 */
public final class GatedNetwork {

    private final List<String> names;
    private final List<GatedLayer> layers;
    private volatile NDArray groupSizes;
    /** The layers' log α concatenated for the current training step, while {@link #withJointLogAlpha} runs. */
    private volatile NDArray jointLogAlpha;
    /** The point of expansion at {@link #jointLogAlpha}, while {@link #withJointLogAlpha} runs, or null. */
    private volatile LogAlphaTangent jointTangent;
    /** {@link #groupSizes} as Java values. */
    private volatile float[] groupSizeValues;

    private GatedNetwork(List<String> names, List<GatedLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a gated network needs at least one gated layer, got 0");
        }
        for (int k = 0; k < layers.size(); k++) {
            GatedLayer layer = layers.get(k);
            if (!layer.isInitialized()) {
                throw new IllegalStateException(
                        "gated layer "
                                + names.get(k)
                                + " is not initialised: initialise the model first (e.g."
                                + " trainer.initialize(inputShape))");
            }
            if (k > 0) {
                checkLink(names.get(k - 1), layers.get(k - 1), names.get(k), layer);
            }
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    /**
     * Collects the gated layers of a block tree in depth-first child order.
     *
     * @param root the model's block
     * @return the gated network
     * @throws IllegalArgumentException if the tree has no gated layer or two layers do not chain
     * @throws IllegalStateException if a gated layer is not initialised
     */
    public static GatedNetwork of(Block root) {
        List<String> names = new ArrayList<>();
        List<GatedLayer> layers = new ArrayList<>();
        collect(root, "", names, layers);
        return new GatedNetwork(names, layers);
    }

    /**
     * Describes an explicit sequence of gated layers, named {@code layer0, layer1, …}.
     *
     * @param layers the gated layers in data-flow order
     * @return the gated network
     */
    public static GatedNetwork of(List<? extends GatedLayer> layers) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            names.add("layer" + k);
        }
        return new GatedNetwork(names, new ArrayList<>(layers));
    }

    private static void collect(Block block, String path, List<String> names, List<GatedLayer> out) {
        if (block instanceof GatedLayer) {
            names.add(path.isEmpty() ? block.getClass().getSimpleName() : path);
            out.add((GatedLayer) block);
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
            collect(child.getValue(), childPath, names, out);
        }
    }

    private static void checkLink(String prevName, GatedLayer prev, String name, GatedLayer layer) {
        if (prev instanceof L0Linear && layer instanceof L0Conv2d) {
            throw new IllegalArgumentException(
                    "unsupported layer order: convolution " + name + " after dense layer " + prevName);
        }
        if (prev instanceof L0Conv2d && layer instanceof L0Linear) {
            long filters = ((L0Conv2d) prev).filters();
            long in = ((L0Linear) layer).inputFeatures();
            if (in % filters != 0) {
                throw new IllegalArgumentException(
                        "dense layer "
                                + name
                                + " has "
                                + in
                                + " inputs, not a multiple of the "
                                + filters
                                + " channels of "
                                + prevName);
            }
        }
        if (prev instanceof L0Conv2d && layer instanceof L0Conv2d) {
            long channels = ((L0Conv2d) layer).inputChannels();
            if (channels != ((L0Conv2d) prev).filters()) {
                throw new IllegalArgumentException(
                        "convolution " + name + " has " + channels + " input channels, "
                                + prevName + " has " + ((L0Conv2d) prev).filters() + " filters");
            }
        }
        if (prev instanceof L0Linear && layer instanceof L0Linear) {
            long in = ((L0Linear) layer).inputFeatures();
            if (in != ((L0Linear) prev).units()) {
                throw new IllegalArgumentException(
                        "dense layer " + name + " has " + in + " inputs, " + prevName + " has "
                                + ((L0Linear) prev).units() + " units");
            }
        }
    }

    /**
     * Returns the gated layers in data-flow order.
     *
     * @return the layers
     */
    public List<GatedLayer> layers() {
        return layers;
    }

    /**
     * Returns the layer names (child paths such as {@code 01L0Linear}) in data-flow order.
     *
     * @return the names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Returns the number of gated layers.
     *
     * @return the number of layers
     */
    public int size() {
        return layers.size();
    }

    /**
     * Returns the number of flattened dense inputs per channel of the preceding convolution, or 1 if
     * layer {@code k} is not a dense layer after a convolution.
     *
     * @param k the layer index
     * @return the positions per channel
     */
    public long positionsPerChannel(int k) {
        if (k > 0 && layers.get(k) instanceof L0Linear && layers.get(k - 1) instanceof L0Conv2d) {
            return ((L0Linear) layers.get(k)).inputFeatures() / ((L0Conv2d) layers.get(k - 1)).filters();
        }
        return 1;
    }

    /**
     * Returns the number of multiply-accumulates per (kept input, kept output) pair of layer {@code
     * k}: 1 for a dense layer, {@code kh · kw · H_out · W_out} for a convolution.
     *
     * @param k the layer index
     * @return MACs per input-output pair
     */
    public long macsPerPair(int k) {
        GatedLayer layer = layers.get(k);
        if (layer instanceof L0Conv2d) {
            L0Conv2d conv = (L0Conv2d) layer;
            Shape out = conv.getOutputShapes(conv.getInputShapes())[0];
            return conv.kernelShape().size() * out.get(2) * out.get(3);
        }
        return 1;
    }

    /**
     * Returns the number of inputs of layer {@code k} (features of a dense layer, channels of a
     * convolution).
     *
     * @param k the layer index
     * @return the inputs
     */
    public long inputs(int k) {
        GatedLayer layer = layers.get(k);
        return layer instanceof L0Conv2d
                ? ((L0Conv2d) layer).inputChannels()
                : ((L0Linear) layer).inputFeatures();
    }

    /**
     * Returns the number of outputs of layer {@code k} (units of a dense layer, filters of a
     * convolution).
     *
     * @param k the layer index
     * @return the outputs
     */
    public long outputs(int k) {
        GatedLayer layer = layers.get(k);
        return layer instanceof L0Conv2d ? ((L0Conv2d) layer).filters() : ((L0Linear) layer).units();
    }

    /**
     * Returns the total parameters (weights and biases; gates excluded) of all gated layers.
     *
     * @return the parameter count
     */
    public long totalParameters() {
        return layers.stream().mapToLong(l -> l.groupShape().totalParameters()).sum();
    }

    /**
     * Tells whether every layer samples its gates from one hard-concrete distribution (the same β, γ, ζ), so
     * that per-gate quantities of all layers can be computed on one concatenated log α.
     *
     * @return true if all layers share one {@code HardConcrete}
     */
    public boolean sharesOneHardConcrete() {
        return layers.stream().allMatch(l -> l.gateConfig().hardConcrete().equals(layers.get(0).gateConfig().hardConcrete()));
    }

    /**
     * Runs {@code body} with {@code logAlpha} (all layers' log α concatenated in layer order, e.g. the one a
     * {@link io.github.lagrange4j.l0.nn.JointGateSampler} drew this step's sample from) as the one the expected
     * costs use ({@link ExpectedCost#activeParameters}) instead of concatenating the layers' log α again: one
     * concatenation and one backward node less per step, with the same values and the same summed gradients.
     * The parameters must not change while {@code body} runs.
     *
     * @param logAlpha the concatenated log α, or null to run {@code body} as it is
     * @param body what to run
     * @param <T> the result type
     * @return what {@code body} returns
     */
    public <T> T withJointLogAlpha(NDArray logAlpha, java.util.function.Supplier<T> body) {
        return withJointLogAlpha(logAlpha, null, body);
    }

    /**
     * Runs {@code body} as {@link #withJointLogAlpha(NDArray, java.util.function.Supplier)} does, and, with a
     * tangent at that log α (the one a closed-form {@link io.github.lagrange4j.l0.nn.JointGateSampler} drew its
     * sample at), lets the expected costs compute their value and gradient in closed form and join the graph
     * through it ({@link ExpectedCost#activeParameters}): no sigmoid or clamp on the engine, forward or backward.
     *
     * <p>A tangent with log α outside the graph ({@link LogAlphaTangent#withGradientsOutsideTheGraph}) comes with
     * no concatenated log α ({@code logAlpha} null): the expected costs then join the graph as its leaves.
     *
     * @param logAlpha the concatenated log α, or null (to run {@code body} as it is, or with a tangent outside
     *     the graph)
     * @param tangent the point of expansion at {@code logAlpha}, or null
     * @param body what to run
     * @param <T> the result type
     * @return what {@code body} returns
     */
    public <T> T withJointLogAlpha(NDArray logAlpha, LogAlphaTangent tangent, java.util.function.Supplier<T> body) {
        boolean outside = tangent != null && tangent.gradientsOutsideTheGraph();
        if (logAlpha == null && !outside) {
            return body.get();
        }
        long total = 0;
        for (GatedLayer layer : layers) {
            total += layer.logAlpha().getArray().size();
        }
        if (logAlpha != null && (logAlpha.getShape().dimension() != 1 || logAlpha.size() != total)) {
            throw new IllegalArgumentException("the joint log alpha must hold the " + total
                    + " gates of the network's layers, got shape " + logAlpha.getShape());
        }
        if (tangent != null && tangent.size() != total) {
            throw new IllegalArgumentException("the tangent must hold the " + total
                    + " gates of the network's layers, got " + tangent.size());
        }
        jointLogAlpha = logAlpha;
        jointTangent = tangent;
        try {
            return body.get();
        } finally {
            jointLogAlpha = null;
            jointTangent = null;
        }
    }

    /** The tangent set by {@link #withJointLogAlpha} for the running step, or null. */
    LogAlphaTangent jointTangent() {
        return jointTangent;
    }

    /** The joint log α set by {@link #withJointLogAlpha} for the running step, or null. */
    NDArray jointLogAlpha() {
        NDArray joint = jointLogAlpha;
        return joint == null || joint.isReleased() ? null : joint;
    }

    /**
     * Returns each gate's group size (the parameters it switches), all layers' gates in order, as one
     * engine-owned array of log α's data type on log α's device, made once and kept in the model's manager:
     * the weights of the expected active parameters {@code Σ_j |g_j| P(z_j ≠ 0)}. Do not close or modify it.
     *
     * @return the group sizes, one per gate
     */
    public NDArray gateGroupSizes() {
        NDArray sizes = groupSizes;
        if (sizes != null && !sizes.isReleased()) {
            return sizes;
        }
        synchronized (this) {
            if (groupSizes != null && !groupSizes.isReleased()) {
                return groupSizes;
            }
            NDArray first = layers.get(0).logAlpha().getArray();
            float[] values = gateGroupSizeValues();
            int total = values.length;
            NDManager owner = first.getManager();
            // zeros, then an in-place add: the engine owns the memory, so autograd may keep it for backward
            NDArray made = owner.zeros(new Shape(total), first.getDataType());
            try (NDArray source = owner.create(values)) {
                made.addi(source);
            }
            NDScope.unregister(made);
            groupSizes = made;
            return made;
        }
    }

    /**
     * Returns each gate's group size, all layers' gates in order, as Java values ({@link #gateGroupSizes}).
     * Do not modify them.
     *
     * @return the group sizes, one per gate
     */
    float[] gateGroupSizeValues() {
        float[] sizes = groupSizeValues;
        if (sizes != null) {
            return sizes;
        }
        int total = 0;
        for (GatedLayer layer : layers) {
            total += Math.toIntExact(layer.groupShape().gates());
        }
        float[] values = new float[total];
        int at = 0;
        for (GatedLayer layer : layers) {
            long groups = layer.groupShape().gates();
            Arrays.fill(values, at, at + (int) groups, layer.groupShape().groupSize());
            at += (int) groups;
        }
        groupSizeValues = values;
        return values;
    }

    /**
     * Returns the sparsifiable parameters {@code Σ_g |g|} of all gated layers.
     *
     * @return the sparsifiable parameter count
     */
    public long sparsifiableParameters() {
        return layers.stream().mapToLong(l -> l.groupShape().sparsifiableParameters()).sum();
    }

    /**
     * Returns the multiply-accumulates per example of the dense (ungated) network.
     *
     * @return the MACs
     */
    public long totalMacs() {
        long sum = 0;
        for (int k = 0; k < layers.size(); k++) {
            sum += inputs(k) * outputs(k) * macsPerPair(k);
        }
        return sum;
    }

    /**
     * Returns the total number of gates.
     *
     * @return the gate count
     */
    public long gates() {
        return layers.stream().mapToLong(l -> l.groupShape().gates()).sum();
    }
}
