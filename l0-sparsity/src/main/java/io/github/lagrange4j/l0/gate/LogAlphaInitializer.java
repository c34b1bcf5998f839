package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises log α from a drop rate: {@code log α ~ Normal(log(1 − d) − log d, σ)} with σ = 0.01
 * (Louizos et al., 2018, reference code; d = 0.2 for an MLP's input pixels and 0.5 elsewhere).
 *
 * <p>Note that d is not {@code P(z = 0)}: with d = 0.5, {@code P(z ≠ 0) ≈ 0.832} at initialisation.
 * The noise comes from {@link NDManager#randomNormal}, seeded by {@code Engine.setRandomSeed}.
 */
public final class LogAlphaInitializer implements Initializer {

    /** The reference standard deviation 0.01. */
    public static final double DEFAULT_STD = 0.01;

    private final double droprate;
    private final double std;

    /**
     * Creates an initializer.
     *
     * @param droprate the drop rate d in {@code (0, 1)}
     * @param std the standard deviation, {@code ≥ 0}
     */
    public LogAlphaInitializer(double droprate, double std) {
        HardConcrete.initialLogAlphaMean(droprate); // validates droprate
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("std must be finite and >= 0, got " + std);
        }
        this.droprate = droprate;
        this.std = std;
    }

    /**
     * Creates an initializer with the reference standard deviation 0.01.
     *
     * @param droprate the drop rate d in {@code (0, 1)}
     */
    public LogAlphaInitializer(double droprate) {
        this(droprate, DEFAULT_STD);
    }

    /**
     * Returns the drop rate d.
     *
     * @return the drop rate
     */
    public double droprate() {
        return droprate;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float mean = (float) HardConcrete.initialLogAlphaMean(droprate);
        return manager.randomNormal(mean, (float) std, shape, dataType, manager.getDevice());
    }
}
