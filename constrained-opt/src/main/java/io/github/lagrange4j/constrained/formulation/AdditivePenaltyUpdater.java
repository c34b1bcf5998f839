package io.github.lagrange4j.constrained.formulation;

import io.github.lagrange4j.constrained.constraint.ConstraintType;

/**
 * Grows a penalty coefficient linearly while its constraint is violated beyond a tolerance.
 *
 * <p>Rule: {@code c <- min(cMax, c + increment)} if {@code g > tolerance} (inequality) or
 * {@code |h| > tolerance} (equality), else unchanged (Cooper's {@code
 * AdditivePenaltyCoefficientUpdater}).
 *
 * @param increment the increment, {@code > 0}
 * @param violationTolerance the tolerance, {@code >= 0}
 * @param maxValue the cap {@code cMax > 0}
 */
public record AdditivePenaltyUpdater(double increment, double violationTolerance, double maxValue)
        implements PenaltyUpdater {

    /** Validates the arguments. */
    public AdditivePenaltyUpdater {
        if (!(increment > 0) || Double.isInfinite(increment)) {
            throw new IllegalArgumentException(
                    "increment must be finite and > 0, got " + increment);
        }
        if (!(violationTolerance >= 0) || Double.isInfinite(violationTolerance)) {
            throw new IllegalArgumentException(
                    "violationTolerance must be finite and >= 0, got " + violationTolerance);
        }
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("maxValue must be > 0, got " + maxValue);
        }
    }

    @Override
    public double update(double coefficient, double violation, ConstraintType type) {
        return type.isViolated(violation, violationTolerance)
                ? Math.min(maxValue, coefficient + increment)
                : coefficient;
    }
}
