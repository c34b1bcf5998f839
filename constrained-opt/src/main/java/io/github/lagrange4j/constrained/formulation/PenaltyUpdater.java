package io.github.lagrange4j.constrained.formulation;

import io.github.lagrange4j.constrained.constraint.ConstraintType;

/**
 * Updates one penalty coefficient {@code c} after a dual step, given the strict violation of its
 * constraint on that step.
 *
 * <p>Called by the constrained optimizer once per step for every observed entry, after the dual
 * update (Cooper's penalty-coefficient updaters; Nocedal &amp; Wright, Algorithm 17.4).
 */
@FunctionalInterface
public interface PenaltyUpdater {

    /**
     * Returns the new coefficient.
     *
     * @param coefficient the current {@code c > 0}
     * @param violation the strict violation of the entry on this step
     * @param type the constraint type
     * @return the new {@code c > 0}
     */
    double update(double coefficient, double violation, ConstraintType type);

    /**
     * Returns the updater that never changes {@code c}.
     *
     * @return the constant updater
     */
    static PenaltyUpdater constant() {
        return (c, v, t) -> c;
    }
}
