/**
 * Relaxed ("resilient") constraints (Hounie et al., NeurIPS 2023): a learned slack {@code u ≥ 0} with its
 * own cost, so that {@code g(x) ≤ u} is enforced and the slack achieved is reported.
 */
package io.github.lagrange4j.constrained.relaxation;
