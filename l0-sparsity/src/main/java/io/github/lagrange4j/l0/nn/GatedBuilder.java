package io.github.lagrange4j.l0.nn;

import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.TestTimeGate;

/**
 * The gate options shared by the builders of gated blocks ({@code optX} setters, all optional).
 *
 * @param <T> the concrete builder type
 */
public abstract class GatedBuilder<T extends GatedBuilder<T>> {

    private HardConcrete hardConcrete = HardConcrete.DEFAULT;
    private TestTimeGate testTimeGate = TestTimeGate.defaultGate();
    private GateSampling sampling = GateSampling.PER_BATCH;
    private double droprate = GateConfig.DEFAULT_DROPRATE;
    private boolean rescaleWeights;

    /** Creates a builder with the default gate settings. */
    protected GatedBuilder() {}

    /**
     * Returns this builder.
     *
     * @return this builder
     */
    protected abstract T self();

    /**
     * Sets the hard-concrete constants (default β = 2/3, γ = −0.1, ζ = 1.1).
     *
     * @param hardConcrete the constants
     * @return this builder
     */
    public T optHardConcrete(HardConcrete hardConcrete) {
        this.hardConcrete = hardConcrete;
        return self();
    }

    /**
     * Sets the deterministic gate used in inference (default {@link TestTimeGate#MEDIAN}).
     *
     * @param testTimeGate the convention
     * @return this builder
     */
    public T optTestTimeGate(TestTimeGate testTimeGate) {
        this.testTimeGate = testTimeGate;
        return self();
    }

    /**
     * Sets how training gates are drawn (default {@link GateSampling#PER_BATCH}).
     *
     * @param sampling the sampling mode
     * @return this builder
     */
    public T optSampling(GateSampling sampling) {
        this.sampling = sampling;
        return self();
    }

    /**
     * Sets the initial drop rate d in {@code (0, 1)} (default 0.5; the reference MLP uses 0.2 for its
     * input layer).
     *
     * @param droprate the drop rate
     * @return this builder
     */
    public T optDroprate(double droprate) {
        this.droprate = droprate;
        return self();
    }

    /**
     * Sets whether initial weights are divided by {@code (1 − d)} (default false; the NeurIPS 2022
     * code does it).
     *
     * @param rescaleWeights true to rescale
     * @return this builder
     */
    public T optRescaleWeights(boolean rescaleWeights) {
        this.rescaleWeights = rescaleWeights;
        return self();
    }

    /**
     * Returns the validated gate settings.
     *
     * @return the gate settings
     * @throws IllegalArgumentException if a setting is out of range
     */
    protected GateConfig gateConfig() {
        return new GateConfig(hardConcrete, testTimeGate, sampling, droprate, rescaleWeights);
    }
}
