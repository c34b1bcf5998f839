/**
 * Per-constraint feasibility verdicts: the strict value of each constraint entry on a batch, compared with
 * a tolerance (less its slack when relaxed), met or not met.
 */
package io.github.lagrange4j.constrained.feasibility;
