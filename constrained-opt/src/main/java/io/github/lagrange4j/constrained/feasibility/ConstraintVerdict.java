package io.github.lagrange4j.constrained.feasibility;

import io.github.lagrange4j.constrained.constraint.ConstraintType;
import java.util.Objects;

/**
 * Whether one constraint entry is met at the end of a run: its strict value, the slack it was granted
 * (relaxed constraints), the tolerance, and the verdict.
 *
 * <p>Rule: an inequality entry is met when {@code strictValue - slack <= tolerance}, an equality
 * entry when {@code |strictValue| <= tolerance} (equalities are never relaxed, their slack is 0).
 * The strict value is the one the dual sees ({@code ConstraintState.dualViolation()}), e.g. the 0-1
 * rate of a proxy rate constraint, not its differentiable proxy.
 *
 * @param constraint the constraint name
 * @param index the entry within the constraint (0 for a scalar constraint)
 * @param type INEQUALITY or EQUALITY
 * @param strictValue the strict violation {@code g} or {@code h}, finite or NaN if not computable
 * @param slack the learned slack {@code u >= 0} of a relaxed inequality, else 0
 * @param tolerance the tolerance, finite and {@code >= 0}
 */
public record ConstraintVerdict(
        String constraint, int index, ConstraintType type, double strictValue, double slack, double tolerance) {

    /** Validates the arguments. */
    public ConstraintVerdict {
        Objects.requireNonNull(constraint, "constraint must not be null");
        Objects.requireNonNull(type, "type must not be null");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        FeasibilityTolerance.check(tolerance);
        if (!(slack >= 0) || Double.isInfinite(slack)) {
            throw new IllegalArgumentException("slack must be finite and >= 0, got " + slack);
        }
        if (type == ConstraintType.EQUALITY && slack != 0) {
            throw new IllegalArgumentException("slack of an equality must be 0, got " + slack);
        }
    }

    /**
     * Returns the violation left after the slack: {@code strictValue - slack} (inequality) or
     * {@code |strictValue|} (equality).
     *
     * @return the residual violation
     */
    public double residual() {
        return type == ConstraintType.INEQUALITY ? strictValue - slack : Math.abs(strictValue);
    }

    /**
     * Returns the verdict; a NaN strict value is never met.
     *
     * @return whether the entry is met within the tolerance
     */
    public boolean met() {
        return !Double.isNaN(strictValue) && residual() <= tolerance;
    }

    /**
     * Returns one line for logs, e.g. {@code recall[0] strict=0.0123 slack=0 tol=0.01 NOT MET}.
     *
     * @return the line
     */
    public String describe() {
        return constraint + "[" + index + "] " + (type == ConstraintType.INEQUALITY ? "g" : "h") + "="
                + String.format(java.util.Locale.ROOT, "%.6g", strictValue)
                + (slack != 0 ? String.format(java.util.Locale.ROOT, " slack=%.6g", slack) : "")
                + " tol=" + tolerance + (met() ? " met" : " NOT MET");
    }
}
