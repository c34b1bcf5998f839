/**
 * Constraints and their observed state.
 *
 * <p>A {@link io.github.lagrange4j.constrained.constraint.Constraint} is {@code g(x) ≤ 0} (inequality) or
 * {@code h(x) = 0} (equality), with a formulation and, where the formulation needs one, a multiplier. A
 * {@link io.github.lagrange4j.constrained.constraint.ConstraintState} is what one evaluation observes: the
 * differentiable violation, an optional strict (non-differentiable) violation used only by the dual step
 * (proxy constraints, Cotter et al., 2019) and optional indices of the observed entries.
 */
package io.github.lagrange4j.constrained.constraint;
