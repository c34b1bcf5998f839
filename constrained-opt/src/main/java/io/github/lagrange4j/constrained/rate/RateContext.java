package io.github.lagrange4j.constrained.rate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * What rates are computed from, on one batch: a score per example (the example is predicted
 * positive when its score is {@code > 0}), its 0/1 label, optional non-negative weights (a 0/1 mask
 * selects a subset, e.g. a group), and optional probabilities for the softmax proxy.
 *
 * <p>All arrays are vectors of the same length {@code n}, in the scores' data type; only the scores
 * (and probabilities) carry gradients. They belong to the caller (normally the step's scope).
 *
 * <p>Multi-class: {@link #oneVsRest} makes the binary context "predicted class {@code k}" from
 * logits, with the margin {@code logit_k - max_{j != k} logit_j} as the score and the softmax
 * probability of {@code k} for the softmax proxy (as TFCO's rate helpers, Cotter et al., JMLR 2019).
 *
 * @param scores the scores {@code s}, shape {@code (n)}
 * @param labels the labels {@code y} in {0, 1}, shape {@code (n)}
 * @param weights the weights {@code w >= 0}, shape {@code (n)}, or {@code null} for all ones
 * @param probabilities {@code P(positive)} for the softmax proxy, shape {@code (n)}, or {@code null}
 */
public record RateContext(NDArray scores, NDArray labels, NDArray weights, NDArray probabilities) {

    /** Validates the shapes. */
    public RateContext {
        Objects.requireNonNull(scores, "scores must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        if (scores.getShape().dimension() != 1) {
            throw new IllegalArgumentException("scores must have shape (n), got " + scores.getShape());
        }
        checkSameShape("labels", scores, labels);
        if (weights != null) {
            checkSameShape("weights", scores, weights);
        }
        if (probabilities != null) {
            checkSameShape("probabilities", scores, probabilities);
        }
    }

    /**
     * A binary context over all examples.
     *
     * @param scores the scores, shape {@code (n)}
     * @param labels the 0/1 labels, shape {@code (n)}
     * @return the context
     */
    public static RateContext binary(NDArray scores, NDArray labels) {
        return new RateContext(scores, labels, null, null);
    }

    /**
     * The binary context "class {@code k}" of a multi-class classifier.
     *
     * @param logits the logits, shape {@code (n, classes)}, {@code classes >= 2}
     * @param classLabels the class of each example (any numeric type), shape {@code (n)}
     * @param k the positive class, in {@code [0, classes)}
     * @return the context with margins as scores, {@code [label == k]} as labels and softmax
     *     probabilities
     */
    public static RateContext oneVsRest(NDArray logits, NDArray classLabels, int k) {
        if (logits.getShape().dimension() != 2 || logits.getShape().get(1) < 2) {
            throw new IllegalArgumentException("logits must have shape (n, classes >= 2), got " + logits.getShape());
        }
        long classes = logits.getShape().get(1);
        if (k < 0 || k >= classes) {
            throw new IllegalArgumentException("class k must be in [0, " + classes + "), got " + k);
        }
        DataType type = logits.getDataType();
        NDArray isK = logits.getManager().arange(0, (int) classes).eq(k).toType(type, false);
        // the other classes' best logit: class k pushed far below (a constant shift, no gradient change)
        NDArray others = logits.sub(isK.mul(1e9)).max(new int[] {1});
        NDArray score = logits.get(new NDIndex(":, {}", k)).sub(others);
        NDArray labels = classLabels.toType(DataType.FLOAT64, false).eq(k).toType(type, false);
        NDArray probability = logits.softmax(1).get(new NDIndex(":, {}", k));
        return new RateContext(score, labels, null, probability);
    }

    /**
     * Returns this context restricted to (or weighted by) {@code subsetWeights}: the new weights
     * are the old ones times these.
     *
     * @param subsetWeights a 0/1 mask or non-negative weights, shape {@code (n)}
     * @return the new context
     */
    public RateContext subset(NDArray subsetWeights) {
        checkSameShape("subset", scores, subsetWeights);
        NDArray w = subsetWeights.getDataType() == scores.getDataType()
                ? subsetWeights : subsetWeights.toType(scores.getDataType(), false);
        return new RateContext(scores, labels, weights == null ? w : weights.mul(w), probabilities);
    }

    /**
     * Returns the weights, all ones if none were given.
     *
     * @return {@code w}, shape {@code (n)}
     */
    public NDArray weightsOrOnes() {
        return weights != null ? weights : scores.getManager().ones(scores.getShape(), scores.getDataType());
    }

    private static void checkSameShape(String name, NDArray scores, NDArray other) {
        if (!other.getShape().equals(scores.getShape())) {
            throw new IllegalArgumentException(
                    name + " must have the scores' shape " + scores.getShape() + ", got " + other.getShape());
        }
    }
}
