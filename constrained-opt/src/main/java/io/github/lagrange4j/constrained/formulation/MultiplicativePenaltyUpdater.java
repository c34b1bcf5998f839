package io.github.lagrange4j.constrained.formulation;

import io.github.lagrange4j.constrained.constraint.ConstraintType;

/**
 * Grows a penalty coefficient geometrically while its constraint is violated beyond a tolerance.
 *
 * <p>Rule: {@code c <- min(cMax, growthFactor * c)} if {@code g > tolerance} (inequality) or
 * {@code |h| > tolerance} (equality), else {@code c} unchanged (Nocedal &amp; Wright, 2006, §17.1;
 * Cooper's {@code MultiplicativePenaltyCoefficientUpdater}).
 *
 * @param growthFactor the factor, {@code > 1}
 * @param violationTolerance the tolerance, {@code >= 0}
 * @param maxValue the cap {@code cMax > 0} (use {@link Double#MAX_VALUE} for none)
 */
public record MultiplicativePenaltyUpdater(
        double growthFactor, double violationTolerance, double maxValue)
        implements PenaltyUpdater {

    /** Validates the arguments. */
    public MultiplicativePenaltyUpdater {
        if (!(growthFactor > 1) || Double.isInfinite(growthFactor)) {
            throw new IllegalArgumentException(
                    "growthFactor must be finite and > 1, got " + growthFactor);
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
                ? Math.min(maxValue, coefficient * growthFactor)
                : coefficient;
    }
}
