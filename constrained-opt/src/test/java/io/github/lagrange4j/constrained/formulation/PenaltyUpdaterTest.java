package io.github.lagrange4j.constrained.formulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.constraint.ConstraintType;
import org.junit.jupiter.api.Test;

/**
 * Penalty coefficients grow only while their constraint is violated beyond the tolerance, and never past
 * their cap: c ← min(cMax, c·growth) (multiplicative) or c ← min(cMax, c + increment) (additive).
 */
class PenaltyUpdaterTest {

    @Test
    void multiplicativeGrowsWhileAnInequalityIsViolatedBeyondTheTolerance() {
        PenaltyUpdater u = new MultiplicativePenaltyUpdater(2.0, 0.1, 10.0);
        double c = 1.0;
        double[] violations = {0.5, 0.2, 0.1, -3.0, 0.11, 0.3, 0.3, 0.3};
        double[] expected = {2.0, 4.0, 4.0, 4.0, 8.0, 10.0, 10.0, 10.0};
        for (int t = 0; t < violations.length; t++) {
            c = u.update(c, violations[t], ConstraintType.INEQUALITY);
            assertThat(c).as("step %d", t + 1).isEqualTo(expected[t]);
        }
    }

    @Test
    void additiveGrowsWhileAnEqualityIsOffByMoreThanTheToleranceEitherWay() {
        PenaltyUpdater u = new AdditivePenaltyUpdater(0.5, 0.01, 2.2);
        double c = 1.0;
        double[] violations = {-0.2, 0.005, 0.3, -0.01, -0.02, 1.0};
        double[] expected = {1.5, 1.5, 2.0, 2.0, 2.2, 2.2};
        for (int t = 0; t < violations.length; t++) {
            c = u.update(c, violations[t], ConstraintType.EQUALITY);
            assertThat(c).as("step %d", t + 1).isEqualTo(expected[t]);
        }
    }

    @Test
    void constantNeverChanges() {
        assertThat(PenaltyUpdater.constant().update(3.0, 100.0, ConstraintType.INEQUALITY)).isEqualTo(3.0);
    }

    @Test
    void invalidSettingsNameTheArgument() {
        assertThatThrownBy(() -> new MultiplicativePenaltyUpdater(1.0, 0, 10))
                .hasMessage("growthFactor must be finite and > 1, got 1.0");
        assertThatThrownBy(() -> new MultiplicativePenaltyUpdater(2.0, -1, 10))
                .hasMessage("violationTolerance must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> new MultiplicativePenaltyUpdater(2.0, 0, 0))
                .hasMessage("maxValue must be > 0, got 0.0");
    }
}
