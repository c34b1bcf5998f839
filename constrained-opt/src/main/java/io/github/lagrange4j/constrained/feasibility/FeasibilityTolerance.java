package io.github.lagrange4j.constrained.feasibility;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tolerance each constraint is judged with: a default for all, and optional overrides by
 * constraint name (e.g. a looser one for a rate measured on a small subset).
 *
 * @param defaultTolerance the tolerance of every constraint without an override, finite and
 *     {@code >= 0}
 * @param perConstraint overrides by constraint name (copied, unmodifiable), each finite and
 *     {@code >= 0}
 */
public record FeasibilityTolerance(double defaultTolerance, Map<String, Double> perConstraint) {

    /** Validates and copies. */
    public FeasibilityTolerance {
        check(defaultTolerance);
        Objects.requireNonNull(perConstraint, "perConstraint must not be null");
        perConstraint.forEach((name, tol) -> check(Objects.requireNonNull(tol, "tolerance of '" + name + "'")));
        perConstraint = Collections.unmodifiableMap(new LinkedHashMap<>(perConstraint));
    }

    /**
     * The same tolerance for every constraint.
     *
     * @param tolerance finite and {@code >= 0}
     * @return the tolerances
     */
    public static FeasibilityTolerance of(double tolerance) {
        return new FeasibilityTolerance(tolerance, Map.of());
    }

    /**
     * Returns a copy with an override for one constraint.
     *
     * @param constraint the constraint name
     * @param tolerance finite and {@code >= 0}
     * @return the new tolerances
     */
    public FeasibilityTolerance with(String constraint, double tolerance) {
        Map<String, Double> m = new LinkedHashMap<>(perConstraint);
        m.put(constraint, check(tolerance));
        return new FeasibilityTolerance(defaultTolerance, m);
    }

    /**
     * Returns the tolerance of a constraint.
     *
     * @param constraint the constraint name
     * @return its override, or the default
     */
    public double forConstraint(String constraint) {
        return perConstraint.getOrDefault(constraint, defaultTolerance);
    }

    static double check(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        return tolerance;
    }
}
