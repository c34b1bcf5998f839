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
