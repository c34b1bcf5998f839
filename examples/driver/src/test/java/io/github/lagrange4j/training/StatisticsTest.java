package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Statistics.median(7.0)).isEqualTo(7.0);
        assertThat(Statistics.median(3.0, 1.0, 2.0)).isEqualTo(2.0);
        assertThat(Statistics.median(9.5, 1.25, 4.0, 100.0, 4.0)).isEqualTo(4.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Statistics.median(4.0, 1.0)).isEqualTo(2.5);
        assertThat(Statistics.median(10.0, 2.0, 3.0, 1.0)).isEqualTo(2.5);
        assertThat(Statistics.median(5.0, 5.0, 1.0, 9.0)).isEqualTo(5.0);
    }

    @Test
    void medianLeavesItsArgumentUnsorted() {
        double[] values = {3, 1, 2};

        Statistics.median(values);

        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void slopeOfPointsOnALineIsExact() {
        // rss = 500 + 12 * epoch over epochs 2..6
        double[] epochs = {2, 3, 4, 5, 6};
        double[] rss = {524, 536, 548, 560, 572};

        assertThat(Statistics.slope(epochs, rss)).isEqualTo(12.0);
        assertThat(Statistics.slope(new double[] {2, 3}, new double[] {800, 790})).isEqualTo(-10.0);
        assertThat(Statistics.slope(new double[] {2, 3, 4}, new double[] {640, 640, 640})).isEqualTo(0.0);
    }

    @Test
    void slopeOfScatteredPointsIsTheLeastSquaresSlope() {
        // x̄ = 3, ȳ = 3; Σ(x − x̄)(y − ȳ) = 8, Σ(x − x̄)² = 10
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {1, 3, 2, 5, 4};

        assertThat(Statistics.slope(x, y)).isEqualTo(0.8);
    }

    @Test
    void slopeDoesNotDependOnTheOrderOfThePoints() {
        assertThat(Statistics.slope(new double[] {4, 2, 3}, new double[] {548, 524, 536})).isEqualTo(12.0);
    }

    @Test
    void rejectsInputsWithoutAnAnswerNamingTheFault() {
        assertThatThrownBy(Statistics::median).hasMessage("median of no values");
        assertThatThrownBy(() -> Statistics.median(1, Double.NaN)).hasMessage("value[1] must be finite, got NaN");
        assertThatThrownBy(() -> Statistics.slope(new double[] {1}, new double[] {1}))
                .hasMessage("slope needs at least 2 points, got 1");
        assertThatThrownBy(() -> Statistics.slope(new double[] {1, 2}, new double[] {1}))
                .hasMessage("slope needs as many x as y values, got 2 and 1");
        assertThatThrownBy(() -> Statistics.slope(new double[] {3, 3}, new double[] {1, 2}))
                .hasMessage("slope is undefined when all x are equal (3.0)");
        assertThatThrownBy(() -> Statistics.slope(new double[] {1, 2}, new double[] {1, Double.POSITIVE_INFINITY}))
                .hasMessage("y[1] must be finite, got Infinity");
    }
}
