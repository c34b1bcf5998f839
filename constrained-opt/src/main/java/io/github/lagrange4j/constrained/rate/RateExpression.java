package io.github.lagrange4j.constrained.rate;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import java.util.Objects;

/**
 * A rate, or a linear combination of rates on one batch, written as a linear function of the
 * prediction indicators: {@code r = sum_i a_i [s_i > 0] + b}.
 *
 * <p>Every rate of {@link Rates} has this form (e.g. the true positive rate has {@code a_i = w_i
 * y_i / sum_j w_j y_j}, {@code b = 0}; the false negative rate {@code -a}, {@code b = 1}); so have
 * differences and ratio conditions between subsets ({@code r_A >= kappa r_B} is {@code r_A - kappa
 * r_B >= 0}). {@link #strict()} is the 0-1 value the dual sees; {@link #proxyUpperBound} is the
 * differentiable value the primal sees (Cotter, Jiang, Sridharan, "Two-player games for efficient
 * non-convex constrained optimization", ALT 2019; Narasimhan et al., TFCO's rate helpers).
 *
 * @param context the scores (and probabilities) the indicators are taken of
 * @param coefficients {@code a}, shape {@code (n)}, constant
 * @param constant {@code b}, finite
 */
public record RateExpression(RateContext context, NDArray coefficients, double constant) {

    /** Validates the arguments. */
    public RateExpression {
        Objects.requireNonNull(context, "context must not be null");
        Objects.requireNonNull(coefficients, "coefficients must not be null");
        if (!coefficients.getShape().equals(context.scores().getShape())) {
            throw new IllegalArgumentException("coefficients must have the scores' shape "
                    + context.scores().getShape() + ", got " + coefficients.getShape());
        }
        if (!Double.isFinite(constant)) {
            throw new IllegalArgumentException("constant must be finite, got " + constant);
        }
    }

    /**
     * Returns {@code factor * this}.
     *
     * @param factor finite
     * @return the scaled expression
     */
    public RateExpression times(double factor) {
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("factor must be finite, got " + factor);
        }
        return new RateExpression(context, coefficients.mul(factor), constant * factor);
    }

    /**
     * Returns {@code this - other}; both must be taken of the same scores (e.g. two subsets of one
     * batch).
     *
     * @param other an expression over the same context scores
     * @return the difference
     */
    public RateExpression minus(RateExpression other) {
        if (other.context.scores() != context.scores()) {
            throw new IllegalArgumentException("both rates must be taken of the same scores array");
        }
        return new RateExpression(context, coefficients.sub(other.coefficients), constant - other.constant);
    }

    /**
     * Returns the strict value {@code sum_i a_i [s_i > 0] + b}, a scalar without gradient.
     *
     * @return the 0-1 rate
     */
    public NDArray strict() {
        NDArray s = context.scores();
        NDArray predicted = s.gt(0).toType(s.getDataType(), false);
        return predicted.mul(coefficients).sum().add(constant);
    }

    /**
     * Returns the differentiable proxy that bounds the strict value from above (exactly, for the
     * hinge): {@code sum_i a_i^+ phi+(s_i) + a_i^- phi-(s_i) + b}.
     *
     * @param proxy the proxy of the indicator
     * @return a scalar that carries the scores' gradient
     */
    public NDArray proxyUpperBound(RateProxy proxy) {
        NDArray zero = ScalarArrays.of(coefficients, 0);
        NDArray positive = coefficients.maximum(zero);
        NDArray negative = coefficients.minimum(zero);
        NDArray up = proxy.upper(context).mul(positive);
        NDArray low = proxy.lower(context).mul(negative);
        return up.add(low).sum().add(constant);
    }
}
