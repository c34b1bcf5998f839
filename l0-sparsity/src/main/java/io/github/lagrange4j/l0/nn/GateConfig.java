package io.github.lagrange4j.l0.nn;

import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.TestTimeGate;

/**
 * The gate settings of one gated layer.
 *
 * @param hardConcrete the distribution constants β, γ, ζ
 * @param testTimeGate the deterministic gate used in inference
 * @param sampling one gate vector per batch or per example in training
 * @param droprate the initial drop rate d in {@code (0, 1)}: {@code log α ~ Normal(log(1 − d) − log d,
 *     0.01)}
 * @param rescaleWeights whether initial weights are divided by {@code (1 − d)} (NeurIPS 2022 code)
 */
public record GateConfig(
        HardConcrete hardConcrete,
        TestTimeGate testTimeGate,
        GateSampling sampling,
        double droprate,
        boolean rescaleWeights) {

    /** The reference default drop rate 0.5 (0.2 is used for an MLP's input pixels). */
    public static final double DEFAULT_DROPRATE = 0.5;

    /** Validates the settings. */
    public GateConfig {
        if (hardConcrete == null) {
            throw new IllegalArgumentException("hardConcrete must not be null");
        }
        if (testTimeGate == null) {
            throw new IllegalArgumentException("testTimeGate must not be null");
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling must not be null");
        }
        if (!(droprate > 0 && droprate < 1)) {
            throw new IllegalArgumentException("droprate must be in (0, 1), got " + droprate);
        }
    }

    /**
     * Returns the defaults: β = 2/3, γ = −0.1, ζ = 1.1, median test-time gate, one sample per batch,
     * d = 0.5, no weight rescale.
     *
     * @return the default settings
     */
    public static GateConfig defaults() {
        return new GateConfig(
                HardConcrete.DEFAULT,
                TestTimeGate.defaultGate(),
                GateSampling.PER_BATCH,
                DEFAULT_DROPRATE,
                false);
    }

    /**
     * Returns the multiplier of the He standard deviation: {@code 1 / (1 − d)} with rescale, else 1.
     *
     * @return the initial weight scale
     */
    public double weightScale() {
        return rescaleWeights ? 1 / (1 - droprate) : 1;
    }
}
