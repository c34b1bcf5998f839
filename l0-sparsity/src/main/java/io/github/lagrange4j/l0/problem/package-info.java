/**
 * Problem objects for {@code constrained-opt}: the task loss supplied by the caller plus L0 density
 * constraints (model-wise, layer-wise, expected-MAC budget) and/or L0 penalties (Louizos et al. and
 * λ · density). This package never chooses an optimizer.
 */
package io.github.lagrange4j.l0.problem;
