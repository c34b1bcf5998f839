package io.github.lagrange4j.constrained.optim;

import io.github.lagrange4j.constrained.constraint.Constraint;

/**
 * The JVM copy of one constraint's state on one evaluation (package-internal).
 *
 * @param constraint the constraint
 * @param indices the observed entries
 * @param dualViolation the strict (or plain) violation of those entries
 * @param contributesToDual whether it drives the dual update
 */
record Observation(
        Constraint constraint, int[] indices, double[] dualViolation, boolean contributesToDual) {}
