/**
 * The proxy-Lagrangian optimizer (Cotter, Jiang &amp; Sridharan, ALT 2019): an (m+1)-dimensional
 * distribution over the objective and the constraints, updated with swap or external regret,
 * multiplicatively (in log space, with a floor) or additively (projection onto the simplex).
 */
package io.github.lagrange4j.constrained.proxy;
