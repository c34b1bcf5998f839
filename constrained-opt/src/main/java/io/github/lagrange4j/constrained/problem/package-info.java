/**
 * The constrained minimization problem: one method computes, for a batch, the loss and the state of every
 * observed constraint ({@link io.github.lagrange4j.constrained.problem.CmpState}); a null loss makes a
 * feasibility problem.
 */
package io.github.lagrange4j.constrained.problem;
