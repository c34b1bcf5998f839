package io.github.lagrange4j.constrained.constraint;

/**
 * The kind of a constraint: an inequality {@code g(x) <= 0} or an equality {@code h(x) = 0}.
 *
 * <p>The type decides the sign of the multipliers: inequality multipliers are projected onto
 * {@code lambda >= 0} after every dual step, equality multipliers are free (Nocedal &amp; Wright,
 * <i>Numerical Optimization</i>, 2006, ch. 12).
 */
public enum ConstraintType {
    /** {@code g(x) <= 0}; multiplier {@code lambda >= 0}. */
    INEQUALITY,
    /** {@code h(x) = 0}; multiplier free. */
    EQUALITY;

    /**
     * Returns whether a violation value counts as violated for this type, beyond a tolerance.
     *
     * @param violation the (strict) violation {@code g} or {@code h}
     * @param tolerance the non-negative tolerance
     * @return {@code g > tolerance} for inequalities, {@code |h| > tolerance} for equalities
     */
    public boolean isViolated(double violation, double tolerance) {
        return this == INEQUALITY ? violation > tolerance : Math.abs(violation) > tolerance;
    }
}
