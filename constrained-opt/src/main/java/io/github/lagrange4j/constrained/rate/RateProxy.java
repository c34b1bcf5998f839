package io.github.lagrange4j.constrained.rate;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.lagrange4j.constrained.util.ScalarArrays;

/**
 * The differentiable stand-in for the indicator {@code [s > 0]} that the primal step sees; the dual
 * always sees the indicator itself (the strict 0-1 rate).
 *
 * <ul>
 *   <li>{@link #HINGE}: bounds that keep the proxy constraint conservative (TFCO's default):
 *       {@code [s > 0] <= max(0, 1 + s)} where a rate's coefficient is positive and {@code [s > 0]
 *       >= 1 - max(0, 1 - s)} where it is negative, so the proxy rate bounds the strict one from the
 *       side of the constraint.
 *   <li>{@link #SIGMOID}: {@code sigmoid(s)} both ways.
 *   <li>{@link #SOFTMAX}: the context's probability (e.g. the softmax of the class in {@link
 *       RateContext#oneVsRest}), or {@code sigmoid(s)} (the two-logit softmax) if it has none.
 * </ul>
 */
public enum RateProxy {
    /** Hinge bounds, margin 1. */
    HINGE,
    /** The logistic function. */
    SIGMOID,
    /** The classifier's probability. */
    SOFTMAX;

    /**
     * Returns the proxy of {@code [s > 0]} that bounds it from above (for positive coefficients).
     *
     * @param context the context
     * @return {@code phi+(s)}, shape {@code (n)}
     */
    NDArray upper(RateContext context) {
        NDArray s = context.scores();
        return switch (this) {
            case HINGE -> s.add(1).maximum(ScalarArrays.of(s, 0));
            case SIGMOID -> Activation.sigmoid(s);
            case SOFTMAX -> context.probabilities() != null ? context.probabilities() : Activation.sigmoid(s);
        };
    }

    /**
     * Returns the proxy of {@code [s > 0]} that bounds it from below (for negative coefficients).
     *
     * @param context the context
     * @return {@code phi-(s)}, shape {@code (n)}
     */
    NDArray lower(RateContext context) {
        if (this != HINGE) {
            return upper(context);
        }
        NDArray s = context.scores();
        return s.neg().add(1).maximum(ScalarArrays.of(s, 0)).neg().add(1);
    }
}
