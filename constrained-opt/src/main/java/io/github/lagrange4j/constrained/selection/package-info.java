/**
 * Candidate selection over saved snapshots of a non-convex game that oscillates: the best iterate (least
 * violation, then objective) and the optimal distribution over at most m+1 snapshots by linear
 * programming (Cotter, Jiang &amp; Sridharan, ALT 2019).
 */
package io.github.lagrange4j.constrained.selection;
