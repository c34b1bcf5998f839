package io.github.lagrange4j.l0.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import io.github.lagrange4j.constrained.util.SharedConstants;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.HeNormalInitializer;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.gate.LogAlphaInitializer;
import io.github.lagrange4j.l0.gate.SharedGateNoise;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the gated layers share: a weight (He normal, scaled by the gate configuration), a bias (zeros)
 * and one hard-concrete log α per gate group (Louizos et al., 2018), registered in that order, with
 * the gate configuration they were built with.
 *
 * <p>Subclasses give the shapes, the forward pass and the group geometry. The input count (features or
 * channels) is read from the input shape at initialisation ({@link #inputCountOf}), and the saved metadata is
 * the same for every gated layer: the input shapes, then the output count (units or filters) and the input
 * count, both as {@code long}.
 */
public abstract class GatedBlock extends AbstractBlock implements GatedLayer {

    /** The weight; gated by groups (input columns or filters). */
    protected final Parameter weight;

    /** The bias; whether it is gated is the subclass's choice. */
    protected final Parameter bias;

    /** The gates' log α, one per group. */
    protected final Parameter logAlpha;

    /** The gate configuration. */
    protected final GateConfig gateConfig;

    /** The live fraction of a gate sample at and below which a layer computes over its live groups only. */
    public static final double SPARSE_COMPUTE_LIVE_FRACTION = 0.8;

    /**
     * The system property that sets the default of {@link #setSparseCompute} for blocks created afterwards:
     * {@code false} turns sparsity-aware training off (the command line's {@code --no-sparse-compute}).
     */
    public static final String SPARSE_COMPUTE_PROPERTY = "lagrange4j.sparse-compute";

    private volatile boolean sparseCompute = !"false".equalsIgnoreCase(System.getProperty(SPARSE_COMPUTE_PROPERTY));

    private volatile SharedGateNoise sharedNoise;

    private NDArray offeredSample;

    private float[] offeredValues;

    /** The sample of the current training pass whose values are known ({@link #liveGroups}), and those values. */
    private NDArray valuesOf;

    private float[] liveValues;

    /**
     * Registers weight, bias and log α.
     *
     * @param version the block's encoding version
     * @param gateConfig the gate configuration (initial drop rate, weight scale, sampling, test-time gate)
     */
    @SuppressWarnings("this-escape")
    protected GatedBlock(byte version, GateConfig gateConfig) {
        super(version);
        this.gateConfig = gateConfig;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new HeNormalInitializer(gateConfig.weightScale()))
                .build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
        logAlpha = addParameter(Parameter.builder()
                .setName(LogAlpha.PARAMETER_NAME)
                .setType(Parameter.Type.OTHER)
                .optInitializer(new LogAlphaInitializer(gateConfig.droprate()))
                .build());
    }

    /** {@inheritDoc} */
    @Override
    public Parameter logAlpha() {
        return logAlpha;
    }

    /** {@inheritDoc} */
    @Override
    public GateConfig gateConfig() {
        return gateConfig;
    }

    /**
     * Turns sparsity-aware training on or off (default on, unless the system property {@value
     * #SPARSE_COMPUTE_PROPERTY} is {@code false}). On: with one gate sample per batch, a layer whose
     * sample leaves at most {@link #SPARSE_COMPUTE_LIVE_FRACTION} of its groups non-zero computes its forward
     * and backward pass over the live groups only (smaller GEMMs); dead groups get exactly zero gradient
     * either way, so the result equals the masked dense computation up to float rounding (the GEMMs sum in
     * another order). Layers without such a path ignore it.
     *
     * @param enabled whether to compute over the live groups only
     */
    public void setSparseCompute(boolean enabled) {
        this.sparseCompute = enabled;
    }

    /**
     * Tells whether sparsity-aware training is on.
     *
     * @return whether the layer may compute over its live groups only
     */
    public boolean isSparseCompute() {
        return sparseCompute;
    }

    /**
     * Shares one gate sample per minibatch between the forward passes of its shards (data-parallel training
     * on several devices): with {@code noise} set, a training forward pass with one sample per batch takes
     * its noise from {@code noise} ({@link SharedGateNoise}); null (the default) draws a fresh sample in
     * every forward pass.
     *
     * @param noise the shared noise, or null
     */
    public void setSharedNoise(SharedGateNoise noise) {
        this.sharedNoise = noise;
    }

    /**
     * Tells whether this layer takes its noise from {@link #setSharedNoise shared noise}.
     *
     * @return true with shared noise set
     */
    public boolean hasSharedNoise() {
        return sharedNoise != null;
    }

    /**
     * Hands this layer the gate sample z of its next training forward pass, drawn for several layers at
     * once by {@link JointGateSampler}; that forward pass uses it instead of drawing its own and forgets it.
     * Ignored with {@link #setSharedNoise shared noise}, and when z has been closed before the forward pass.
     *
     * @param z the sample, of log α's shape, differentiable with respect to log α
     */
    public void offerSample(NDArray z) {
        offerSample(z, null);
    }

    /**
     * Hands this layer the gate sample z of its next training forward pass together with its values, read once
     * for several layers by {@link JointGateSampler}: the forward pass then finds the live groups from these
     * values ({@link #liveGroups}) instead of asking the engine (two operations fewer).
     *
     * @param z the sample, of log α's shape, differentiable with respect to log α
     * @param values z's values in order, or null to let the engine find the live groups
     */
    public void offerSample(NDArray z, float[] values) {
        if (values != null && values.length != z.size()) {
            throw new IllegalArgumentException("the sample has " + z.size() + " values, got " + values.length);
        }
        this.offeredSample = z;
        this.offeredValues = values;
    }

    /**
     * Returns the indices of the groups whose gate value in z is above 0, as a 1-D int64 array, when there are
     * some and at most {@link #SPARSE_COMPUTE_LIVE_FRACTION} of all (the layer then computes over them only);
     * otherwise null. For the sample {@link #offerSample(NDArray, float[]) offered with its values} the indices
     * come from those values, otherwise from the engine ({@code z > 0}, {@code nonzero}); either way the same.
     *
     * @param z this pass's gate values, one per group
     * @param manager the manager of the forward pass, which owns the result
     * @return the live groups' indices, or null for the full computation
     */
    protected NDArray liveGroups(NDArray z, NDManager manager) {
        long groups = z.size();
        float[] values = z == valuesOf ? liveValues : null;
        if (values != null) {
            int alive = 0;
            for (float v : values) {
                if (v > 0) {
                    alive++;
                }
            }
            if (alive == 0 || alive > SPARSE_COMPUTE_LIVE_FRACTION * groups) {
                return null;
            }
            long[] live = new long[alive];
            for (int j = 0, k = 0; j < values.length; j++) {
                if (values[j] > 0) {
                    live[k++] = j;
                }
            }
            return manager.create(live);
        }
        NDArray live = z.gt(SharedConstants.of(z, 0)).nonzero();
        long alive = live.getShape().get(0);
        return alive > 0 && alive <= SPARSE_COMPUTE_LIVE_FRACTION * groups ? live.reshape(alive) : null;
    }

    /**
     * Draws the training-time gate sample of one minibatch ({@link GateSampling#PER_BATCH}): a fresh
     * {@link HardConcrete#sample} of log α's shape, or, with {@link #setSharedNoise shared noise}, the
     * sample of the minibatch's shared noise computed from this device's log α.
     *
     * @param logAlpha this device's log α
     * @param manager the manager of the forward pass, which owns the result
     * @return z in {@code [0, 1]}, shaped like log α
     */
    protected NDArray batchSample(NDArray logAlpha, NDManager manager) {
        HardConcrete hc = gateConfig.hardConcrete();
        SharedGateNoise shared = sharedNoise;
        NDArray offered = offeredSample;
        float[] values = offeredValues;
        offeredSample = null;
        offeredValues = null;
        valuesOf = null;
        liveValues = null;
        if (shared == null && offered != null && !offered.isReleased()) {
            valuesOf = offered;
            liveValues = values;
            return offered;
        }
        if (shared == null) {
            return hc.sample(logAlpha, manager, logAlpha.getShape());
        }
        NDArray u = shared.noise(this, () -> hc.noise(manager, logAlpha.getShape(), logAlpha.getDataType()));
        if (!u.getDevice().equals(logAlpha.getDevice())) {
            // another device's draw: a copy on this shard's device, owned by this shard's manager
            u = u.toDevice(logAlpha.getDevice(), true);
            u.attach(manager);
        }
        return hc.sampleFromNoise(logAlpha, u);
    }

    /**
     * Returns the weight parameter.
     *
     * @return the weight
     */
    public Parameter weight() {
        return weight;
    }

    /**
     * Returns the bias parameter.
     *
     * @return the bias
     */
    public Parameter bias() {
        return bias;
    }

    /**
     * Returns the layer's output count, fixed when it was built.
     *
     * @return the units (dense) or filters (convolution)
     */
    protected abstract long outputCount();

    /**
     * Returns what the output count counts, for messages.
     *
     * @return e.g. {@code "units"} or {@code "filters"}
     */
    protected abstract String outputCountName();

    /**
     * Returns the input count, known after initialisation.
     *
     * @return the input features (dense) or channels (convolution); 0 before initialisation
     */
    protected abstract long inputCount();

    /**
     * Sets the input count, from the input shape or from saved metadata.
     *
     * @param inputs the input features or channels
     */
    protected abstract void setInputCount(long inputs);

    /**
     * Returns the input count of an input shape, or fails naming the layer and the shape it takes.
     *
     * @param input the one input's shape
     * @return the input features or channels
     * @throws IllegalArgumentException if the shape does not fit this layer
     */
    protected abstract long inputCountOf(Shape input);

    /** {@inheritDoc} */
    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + " takes exactly 1 input, got " + inputShapes.length);
        }
        long inputs = inputCountOf(inputShapes[0]);
        super.beforeInitialize(inputShapes);
        setInputCount(inputs);
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(outputCount());
        os.writeLong(inputCount());
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        checkEncodingVersion(loadVersion);
        readInputShapes(is);
        long saved = readOutputCount(loadVersion, is);
        if (saved != outputCount()) {
            throw new MalformedModelException("Saved " + getClass().getSimpleName() + " has " + saved + " "
                    + outputCountName() + ", this block has " + outputCount());
        }
        setInputCount(is.readLong());
    }

    /**
     * Reads the saved output count. An older encoding of a subclass that wrote it differently overrides this.
     *
     * @param loadVersion the encoding version read from the file
     * @param is the stream, positioned at the output count
     * @return the saved output count
     * @throws IOException if the stream ends
     */
    protected long readOutputCount(byte loadVersion, DataInputStream is) throws IOException {
        return is.readLong();
    }

    /**
     * Refuses metadata saved in another encoding.
     *
     * @param loadVersion the version read from the file
     * @throws MalformedModelException if it is not this block's version
     */
    protected void checkEncodingVersion(byte loadVersion) throws MalformedModelException {
        if (loadVersion != version) {
            throw new MalformedModelException(
                    "Unsupported " + getClass().getSimpleName() + " encoding version: " + loadVersion);
        }
    }

    /**
     * Fails unless the block has been initialised (its shapes are known).
     *
     * @throws IllegalStateException if it has not
     */
    protected void requireInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + " is not initialised: initialise the block first");
        }
    }
}
