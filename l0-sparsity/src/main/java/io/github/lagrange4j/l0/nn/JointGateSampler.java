package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlphaTangent;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the gate samples of all layers of a network at once: one hard-concrete sample per minibatch
 * (Louizos et al., ICLR 2018, eq. 10-11),
 *
 * <pre>
 *   u ~ U(0, 1),  s = σ((log u − log(1 − u) + log α) / β),  z = min(1, max(0, s·(ζ − γ) + γ)),
 * </pre>
 *
 * taken on the concatenation of every layer's log α instead of layer by layer, then split and handed to
 * each layer's next training forward pass ({@link GatedBlock#offerSample}).
 *
 * <p>Why: a layer's sample is a dozen small operations; drawing them per layer costs a dozen dispatches
 * (and as many backward nodes) per layer and step, which dominates the step of a small network (the paper's
 * MLP: three layers, 1,184 gates). Jointly it is one concatenation, the same dozen operations and one split.
 * By default ({@link #optClosedForm}) the dozen operations are not the engine's either: the sample and its
 * derivative in log α are computed in Java from the drawn noise (a SIMD loop, {@link
 * HardConcrete#sampleFromNoise(float[], float[], float[], float[])}) and joined to the graph by their tangent
 * ({@link LogAlphaTangent}: a subtraction, a multiplication and an addition), which the expected costs of the
 * same step reuse ({@link #tangent()}).
 *
 * <p>Same distribution, same random numbers: the uniform noise of one draw of all gates is, number for
 * number, the noise of the per-layer draws in layer order (one generator, consumed element by element), so
 * a seeded run draws the same u. z can differ from the per-layer computation in the last bit or two of some
 * elements (other vectorised functions, other positions where vectorised and scalar paths meet), which is
 * float rounding, not a different sample.
 *
 * <p>Used only when every layer is a {@link GatedBlock} with {@link GateSampling#PER_BATCH} sampling, one
 * {@link HardConcrete} and no shared noise ({@link #of} returns null otherwise); the layers then draw their
 * own samples exactly as without it.
 */
public final class JointGateSampler {

    private final List<GatedBlock> layers;
    private final HardConcrete hardConcrete;
    private final long[] splits;
    private final long total;
    private NDManager scope;
    private boolean closedForm = true;
    private boolean gradientsOutsideTheGraph = !"false".equalsIgnoreCase(System.getProperty(OUTSIDE_GRAPH_PROPERTY));
    private LogAlphaTangent tangent;

    /**
     * The system property that, set to {@code false}, keeps log α in the graph by default ({@link
     * #optGradientsOutsideTheGraph}).
     */
    public static final String OUTSIDE_GRAPH_PROPERTY = "lagrange4j.gate-gradients-outside-graph";

    private JointGateSampler(List<GatedBlock> layers) {
        this.layers = layers;
        this.hardConcrete = layers.get(0).gateConfig().hardConcrete();
        this.splits = new long[layers.size() - 1];
        long offset = 0;
        for (int k = 0; k < layers.size(); k++) {
            offset += layers.get(k).logAlpha().getArray().size();
            if (k < splits.length) {
                splits[k] = offset;
            }
        }
        this.total = offset;
    }

    /**
     * Returns a joint sampler for {@code layers}, in the order their forward passes run, or null when they
     * cannot share one draw.
     *
     * @param layers the gated layers of one network, initialised
     * @return the sampler, or null
     */
    public static JointGateSampler of(List<? extends GatedLayer> layers) {
        if (layers == null || layers.size() < 2) {
            return null;
        }
        List<GatedBlock> blocks = new ArrayList<>();
        for (GatedLayer layer : layers) {
            if (!(layer instanceof GatedBlock block) || !block.isInitialized()
                    || block.gateConfig().sampling() != GateSampling.PER_BATCH
                    || !block.gateConfig().hardConcrete().equals(layers.get(0).gateConfig().hardConcrete())) {
                return null;
            }
            blocks.add(block);
        }
        NDArray first = blocks.get(0).logAlpha().getArray();
        for (GatedBlock block : blocks) {
            NDArray la = block.logAlpha().getArray();
            if (la.getDataType() != first.getDataType() || !la.getDevice().equals(first.getDevice())) {
                return null;
            }
        }
        return new JointGateSampler(blocks);
    }

    /**
     * Draws one sample of every layer's gates and offers each layer its part for its next training forward
     * pass. The sample lives until the next draw (or until a step scope closes it).
     *
     * @return the layers' log α concatenated in layer order, as the sample used it (part of the autograd graph:
     *     gradients reach each layer's log α through it), living as long as the sample; null if the layers draw
     *     their own samples (data-parallel shards sharing their noise)
     */
    public NDArray draw() {
        for (GatedBlock layer : layers) {
            if (layer.hasSharedNoise()) {
                return null; // data-parallel shards share their noise; the layers draw it themselves
            }
        }
        if (tangent != null && tangent.gradientsOutsideTheGraph()) {
            tangent.settle(); // the previous draw's backward pass has run (or never will)
        }
        if (scope != null) {
            scope.close();
            scope = null;
        }
        if (closedForm && gradientsOutsideTheGraph && outsideTheGraphPossible()) {
            drawOutsideTheGraph();
            return null;
        }
        NDArray first = layers.get(0).logAlpha().getArray();
        scope = first.getManager().newSubManager();
        NDList logAlphas = new NDList(layers.size());
        for (GatedBlock layer : layers) {
            logAlphas.add(layer.logAlpha().getArray());
        }
        NDArray logAlpha = NDArrays.concat(logAlphas);
        logAlpha.attach(scope);
        NDArray u = hardConcrete.noise(scope, new Shape(total), logAlpha.getDataType());
        NDArray joint;
        float[] values;
        tangent = null;
        if (closedForm && logAlpha.getDataType() == DataType.FLOAT32) {
            // the sample and its derivative in Java, joined to the graph by the tangent (LogAlphaTangent)
            tangent = LogAlphaTangent.at(logAlpha);
            int n = tangent.size();
            values = new float[n];
            float[] slope = new float[n];
            float[] noise = tangent.read(u);
            u.close();
            hardConcrete.sampleFromNoise(tangent.values(), noise, values, slope);
            joint = tangent.expand(values, slope, scope);
        } else {
            joint = hardConcrete.sampleFromNoise(logAlpha, u);
            // the values, read once: each layer finds its live groups from them, not with two engine operations
            // (float32 gates; others let the engine find them)
            values = joint.getDataType() == DataType.FLOAT32 ? joint.toFloatArray() : null;
        }
        NDList z = joint.split(splits);
        for (int k = 0, from = 0; k < layers.size(); k++) {
            int to = k < splits.length ? (int) splits[k] : (int) total;
            layers.get(k).offerSample(z.get(k), values == null ? null : java.util.Arrays.copyOfRange(values, from, to));
            from = to;
        }
        return logAlpha;
    }

    /** Whether every layer takes its sample as values with log α outside the graph, and log α is float32. */
    private boolean outsideTheGraphPossible() {
        for (GatedBlock layer : layers) {
            if (!(layer instanceof L0Linear linear) || !linear.acceptsClosedFormSample()
                    || layer.logAlpha().getArray().getDataType() != DataType.FLOAT32) {
                return false;
            }
        }
        return true;
    }

    /**
     * The draw with log α outside the graph: log α read from each layer's memory (no concatenation), the noise
     * drawn on the engine as always, the sample and its slopes in Java, offered to each layer as values ({@link
     * L0Linear#offerClosedFormSample}); the expected costs of the step join the graph as leaves ({@link
     * LogAlphaTangent#withGradientsOutsideTheGraph}).
     */
    private void drawOutsideTheGraph() {
        float[] logAlpha = new float[Math.toIntExact(total)];
        int at = 0;
        for (GatedBlock layer : layers) {
            float[] own = io.github.lagrange4j.l0.gate.EngineFloats.read(layer.logAlpha().getArray());
            System.arraycopy(own, 0, logAlpha, at, own.length);
            at += own.length;
        }
        LogAlphaTangent point = LogAlphaTangent.withGradientsOutsideTheGraph(logAlpha);
        float[] values = new float[logAlpha.length];
        float[] slope = new float[logAlpha.length];
        // the noise is all the engine holds of this draw: read at once, nothing kept until the next draw
        try (NDManager noise = layers.get(0).logAlpha().getArray().getManager().newSubManager();
                NDArray u = hardConcrete.noise(noise, new Shape(total), DataType.FLOAT32)) {
            hardConcrete.sampleFromNoise(logAlpha, point.read(u), values, slope);
        }
        tangent = point;
        for (int k = 0, from = 0; k < layers.size(); k++) {
            int to = k < splits.length ? (int) splits[k] : (int) total;
            ((L0Linear) layers.get(k)).offerClosedFormSample(java.util.Arrays.copyOfRange(values, from, to),
                    java.util.Arrays.copyOfRange(slope, from, to), point, from);
            from = to;
        }
    }

    /**
     * Draws with log α outside the autograd graph where every layer can take its sample as values (default true,
     * or the system property {@value #OUTSIDE_GRAPH_PROPERTY}; in closed form only, {@link #optClosedForm}):
     * each {@link L0Linear} computes {@code (x ⊙ z) W′ᵀ + b} with z as constants and forms {@code ∂L/∂log α}
     * from its weight's gradient after the backward pass (see {@code L0Linear}), and the expected costs join
     * the graph as scalar leaves ({@link LogAlphaTangent#withGradientsOutsideTheGraph}): no concatenation,
     * displacement, expansion or split of log α and no gate node in the backward pass. The gradients are those
     * of the graph up to float rounding. Needs an optimizer that takes the layers' gradients from them (column
     * gradients on: {@code TrainerPrimalOptimizer} with a {@code StatefulOptimizer}); otherwise, and for other
     * layers than {@link L0Linear}, the draw keeps log α in the graph. One draw per forward and backward pass.
     *
     * @param enabled whether to keep log α outside the graph where possible
     * @return this sampler
     */
    public JointGateSampler optGradientsOutsideTheGraph(boolean enabled) {
        this.gradientsOutsideTheGraph = enabled;
        return this;
    }

    /**
     * Computes the sample in closed form in Java ({@link HardConcrete#sampleFromNoise(float[], float[], float[],
     * float[])}) and joins it to the autograd graph by its first-order expansion in log α ({@link
     * LogAlphaTangent}), or on the engine, operation by operation (default true; float32 log α only, other
     * types always use the engine). Same noise, same distribution: the samples agree to float rounding, and so
     * do their gradients. The closed form replaces a dozen engine operations and their backward nodes by three
     * (and a few microseconds of Java).
     *
     * @param enabled whether to compute the sample in closed form
     * @return this sampler
     */
    public JointGateSampler optClosedForm(boolean enabled) {
        this.closedForm = enabled;
        return this;
    }

    /**
     * Returns the point of expansion of the last {@link #draw} in closed form, for other functions of the same
     * log α in the same step (the expected costs, {@link io.github.lagrange4j.l0.account.GatedNetwork#withJointLogAlpha}); null after a draw
     * on the engine.
     *
     * @return the tangent of the last draw, or null
     */
    public LogAlphaTangent tangent() {
        return tangent;
    }

    /**
     * The number of gates drawn at once.
     *
     * @return the total number of gates of the layers
     */
    public long gates() {
        return total;
    }
}
