package io.github.lagrange4j.l0.nn;

import ai.djl.MalformedModelException;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import io.github.lagrange4j.l0.gate.HeNormalInitializer;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.gate.LogAlphaInitializer;

/**
 * What the gated layers share: a weight (He normal, scaled by the gate configuration), a bias (zeros)
 * and one hard-concrete log α per gate group (Louizos et al., 2018), registered in that order, with
 * the gate configuration they were built with.
 *
 * <p>Subclasses give the shapes, the forward pass, the group geometry and the saved metadata.
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
