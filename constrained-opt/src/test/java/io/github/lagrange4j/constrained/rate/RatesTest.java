package io.github.lagrange4j.constrained.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rates of a hand-made batch, on both engines: scores {@code (2, -1, 0.5, -0.3, 1.5, -2)}, labels
 * {@code (1, 1, 0, 0, 1, 0)}, so predictions {@code (1, 0, 1, 0, 1, 0)}; subset A = the first three
 * examples, B = the last three.
 */
class RatesTest {

    static final float[] SCORES = {2, -1, 0.5f, -0.3f, 1.5f, -2};
    static final float[] LABELS = {1, 1, 0, 0, 1, 0};
    static final float[] SUBSET_A = {1, 1, 1, 0, 0, 0};
    static final float[] SUBSET_B = {0, 0, 0, 1, 1, 1};

    static double value(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void strictRatesMatchTheirCounts(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            RateContext c = RateContext.binary(m.create(SCORES), m.create(LABELS));
            assertThat(value(Rates.positivePredictionRate(c).strict())).isCloseTo(3 / 6.0, within(1e-6));
            assertThat(value(Rates.truePositiveRate(c).strict())).isCloseTo(2 / 3.0, within(1e-6));
            assertThat(value(Rates.falseNegativeRate(c).strict())).isCloseTo(1 / 3.0, within(1e-6));
            assertThat(value(Rates.falsePositiveRate(c).strict())).isCloseTo(1 / 3.0, within(1e-6));
            assertThat(value(Rates.trueNegativeRate(c).strict())).isCloseTo(2 / 3.0, within(1e-6));
            assertThat(value(Rates.errorRate(c).strict())).isCloseTo(2 / 6.0, within(1e-6));
            // precision = 2/3: the margin is >= 0 for t = 0.6 and < 0 for t = 0.7
            assertThat(value(Rates.precisionMargin(c, 0.6).strict())).isCloseTo(0.2 / 6, within(1e-6));
            assertThat(value(Rates.precisionMargin(c, 0.7).strict())).isCloseTo(-0.1 / 6, within(1e-6));
            RateContext a = c.subset(m.create(SUBSET_A));
            assertThat(value(Rates.positivePredictionRate(a).strict())).isCloseTo(2 / 3.0, within(1e-6));
            assertThat(value(Rates.truePositiveRate(a).strict())).isCloseTo(1 / 2.0, within(1e-6));
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void hingeProxiesBoundTheStrictViolationFromAbove(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            RateContext c = RateContext.binary(m.create(SCORES), m.create(LABELS));
            // TPR <= 0.5: proxy sum_{y=1} max(0, 1+s)/3 = (3 + 0 + 2.5)/3; strict 2/3
            ConstraintState atMost = RateConstraints.atMost(Rates.truePositiveRate(c), 0.5, RateProxy.HINGE);
            assertThat(value(atMost.violation())).isCloseTo(5.5 / 3 - 0.5, within(1e-6));
            assertThat(value(atMost.strictViolation())).isCloseTo(2 / 3.0 - 0.5, within(1e-6));
            // TPR >= 0.9: proxy 0.9 - sum_{y=1} (1 - max(0, 1-s))/3 = 0.9 - (1 - 1 + 1)/3; strict 0.9 - 2/3
            ConstraintState atLeast = RateConstraints.atLeast(Rates.truePositiveRate(c), 0.9, RateProxy.HINGE);
            assertThat(value(atLeast.violation())).isCloseTo(0.9 - 1 / 3.0, within(1e-6));
            assertThat(value(atLeast.strictViolation())).isCloseTo(0.9 - 2 / 3.0, within(1e-6));
            // sigmoid: the mean of sigmoid(s) for the positive prediction rate
            double mean = 0;
            for (float s : SCORES) {
                mean += 1 / (1 + Math.exp(-s)) / SCORES.length;
            }
            ConstraintState sig = RateConstraints.atMost(Rates.positivePredictionRate(c), 0.2, RateProxy.SIGMOID);
            assertThat(value(sig.violation())).isCloseTo(mean - 0.2, within(1e-6));
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void aRatioConstraintBetweenTwoSubsetsIsLinearInThePredictions(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            RateContext c = RateContext.binary(m.create(SCORES), m.create(LABELS));
            RateExpression a = Rates.positivePredictionRate(c.subset(m.create(SUBSET_A)));
            RateExpression b = Rates.positivePredictionRate(c.subset(m.create(SUBSET_B)));
            // PPR_A = 2/3 >= 0.8 PPR_B = 0.8/3: met with margin 0.4; >= 2.5 PPR_B fails by 1/6
            ConstraintState met = RateConstraints.atLeast(a.minus(b.times(0.8)), 0, RateProxy.HINGE);
            assertThat(value(met.strictViolation())).isCloseTo(-0.4, within(1e-6));
            ConstraintState unmet = RateConstraints.atLeast(a.minus(b.times(2.5)), 0, RateProxy.HINGE);
            assertThat(value(unmet.strictViolation())).isCloseTo(2.5 / 3 - 2 / 3.0, within(1e-6));
            assertThat(value(unmet.violation())).isGreaterThanOrEqualTo(value(unmet.strictViolation()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void oneVsRestUsesTheMarginAndTheSoftmaxProbability(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            NDArray logits = m.create(new float[] {2, 1, 0, 0, 3, 1, 1, 1.5f, 4}, new Shape(3, 3));
            RateContext c = RateContext.oneVsRest(logits, m.create(new int[] {0, 1, 1}), 1);
            assertThat(c.scores().toType(DataType.FLOAT64, false).toDoubleArray())
                    .containsExactly(new double[] {-1, 2, -2.5}, within(1e-5));
            assertThat(c.labels().toFloatArray()).containsExactly(0, 1, 1);
            assertThat(value(Rates.truePositiveRate(c).strict())).isCloseTo(0.5, within(1e-6));
            double p1 = Math.exp(3) / (1 + Math.exp(3) + Math.exp(1));
            assertThat(c.probabilities().toType(DataType.FLOAT64, false).getDouble(1)).isCloseTo(p1, within(1e-6));
            ConstraintState soft = RateConstraints.atLeast(Rates.truePositiveRate(c), 1, RateProxy.SOFTMAX);
            double p2 = Math.exp(1.5) / (Math.exp(1) + Math.exp(1.5) + Math.exp(4));
            assertThat(value(soft.violation())).isCloseTo(1 - (p1 + p2) / 2, within(1e-6));
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void anUndefinedRateIsRejected(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            RateContext noPositives = RateContext.binary(m.create(SCORES), m.zeros(new Shape(6)));
            assertThatThrownBy(() -> Rates.truePositiveRate(noPositives))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the rate is undefined on this batch: the positive examples of its subset sum to 0.0");
            assertThatThrownBy(() -> RateContext.binary(m.create(SCORES), m.zeros(new Shape(5))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("labels must have the scores' shape (6), got (5)");
            assertThatThrownBy(() -> Rates.precisionMargin(RateContext.binary(m.create(SCORES), m.create(LABELS)), 1.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("precision target must be in [0, 1], got 1.5");
        }
    }
}
