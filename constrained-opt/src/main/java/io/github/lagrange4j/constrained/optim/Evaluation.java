package io.github.lagrange4j.constrained.optim;

import java.util.List;

/**
 * The JVM values of one evaluation of the problem (package-internal); no NDArrays survive it.
 *
 * @param loss the loss, or NaN when only violations were computed
 * @param lagrangian the primal Lagrangian, or NaN
 * @param observations the constraint observations, in the problem's order
 */
record Evaluation(double loss, double lagrangian, List<Observation> observations) {}
