package io.github.lagrange4j.constrained.rate;

import ai.djl.ndarray.NDArray;

/**
 * The classification rates of a {@link RateContext} as {@link RateExpression}s (weighted, over the
 * context's subset): positive prediction rate, TPR, FNR, FPR, TNR, error rate, and the precision
 * condition. With {@code w} the weights and {@code y} the labels:
 *
 * <ul>
 *   <li>positive prediction rate {@code sum w [s>0] / sum w};
 *   <li>TPR {@code sum w y [s>0] / sum w y}; FNR {@code = 1 - TPR};
 *   <li>FPR {@code sum w (1-y) [s>0] / sum w (1-y)}; TNR {@code = 1 - FPR};
 *   <li>error rate {@code sum w (y [s<=0] + (1-y) [s>0]) / sum w};
 *   <li>precision {@code >= t} (a ratio of rates) as {@link #precisionMargin}{@code (t) >= 0}, with
 *       {@code precisionMargin(t) = sum w (y - t) [s>0] / sum w}.
 * </ul>
 *
 * <p>A denominator that is 0 on the batch (e.g. no positive example) is rejected: the rate is
 * undefined there.
 */
public final class Rates {

    private Rates() {}

    /**
     * The positive prediction rate.
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression positivePredictionRate(RateContext c) {
        NDArray w = c.weightsOrOnes();
        return normalised(c, w, w, 0, "weights");
    }

    /**
     * The true positive rate (recall).
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression truePositiveRate(RateContext c) {
        NDArray wy = c.weightsOrOnes().mul(c.labels());
        return normalised(c, wy, wy, 0, "positive examples");
    }

    /**
     * The false negative rate, {@code 1 - TPR}.
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression falseNegativeRate(RateContext c) {
        NDArray wy = c.weightsOrOnes().mul(c.labels());
        return normalised(c, wy.neg(), wy, 1, "positive examples");
    }

    /**
     * The false positive rate.
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression falsePositiveRate(RateContext c) {
        NDArray wn = c.weightsOrOnes().mul(c.labels().neg().add(1));
        return normalised(c, wn, wn, 0, "negative examples");
    }

    /**
     * The true negative rate, {@code 1 - FPR}.
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression trueNegativeRate(RateContext c) {
        NDArray wn = c.weightsOrOnes().mul(c.labels().neg().add(1));
        return normalised(c, wn.neg(), wn, 1, "negative examples");
    }

    /**
     * The error rate: {@code sum w (1 - 2y) [s>0] / sum w + sum w y / sum w}.
     *
     * @param c the context
     * @return the expression
     */
    public static RateExpression errorRate(RateContext c) {
        NDArray w = c.weightsOrOnes();
        double total = sum(w, "weights");
        NDArray a = w.mul(c.labels().mul(-2).add(1)).div(total);
        NDArray wy = w.mul(c.labels());
        double positives = wy.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        return new RateExpression(c, a, positives / total);
    }

    /**
     * The precision condition: {@code precision >= t} if and only if this is {@code >= 0}, and
     * {@code precision <= t} if and only if it is {@code <= 0} (for a non-empty prediction).
     *
     * @param c the context
     * @param t the precision target, in {@code [0, 1]}
     * @return {@code sum w (y - t) [s>0] / sum w}
     */
    public static RateExpression precisionMargin(RateContext c, double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("precision target must be in [0, 1], got " + t);
        }
        NDArray w = c.weightsOrOnes();
        return normalised(c, w.mul(c.labels().sub(t)), w, 0, "weights");
    }

    private static RateExpression normalised(RateContext c, NDArray numerator, NDArray denominator,
            double constant, String what) {
        double total = sum(denominator, what);
        return new RateExpression(c, numerator.div(total), constant);
    }

    private static double sum(NDArray a, String what) {
        double total;
        try (NDArray s = a.sum()) {
            total = s.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the rate is undefined on this batch: the " + what
                    + " of its subset sum to " + total);
        }
        return total;
    }
}
