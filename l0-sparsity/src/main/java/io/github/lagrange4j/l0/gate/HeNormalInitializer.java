package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He/Kaiming normal initialisation over fan-in, optionally rescaled: {@code W ~ Normal(0, (c ·
 * sqrt(2 / fan_in))²)} where {@code fan_in} is the product of all dimensions but the first (He et
 * al., 2015). The NeurIPS 2022 code uses {@code c = 1 / (1 − d)} for gated layers with drop rate d;
 * Louizos et al. use {@code c = 1}.
 */
public final class HeNormalInitializer implements Initializer {

    private final double scale;

    /**
     * Creates an initializer.
     *
     * @param scale the multiplier c of the standard deviation, {@code > 0}
     */
    public HeNormalInitializer(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        this.scale = scale;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "HeNormalInitializer needs a weight of rank >= 2, got shape " + shape);
        }
        long fanIn = shape.size() / shape.get(0);
        float std = (float) (scale * Math.sqrt(2.0 / fanIn));
        return manager.randomNormal(0f, std, shape, dataType, manager.getDevice());
    }
}
