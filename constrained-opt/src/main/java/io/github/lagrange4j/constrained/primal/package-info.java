/**
 * The primal side: optimizers of DJL parameters whose state (Adam moments, step counts) is owned here and
 * saved exactly, and adapters for a DJL {@code Trainer} or a plain list of arrays. A block that computes over
 * some of a weight's columns can hand the optimizer that weight's gradient as those columns only
 * ({@link io.github.lagrange4j.constrained.primal.ColumnGradientSource}, {@link
 * io.github.lagrange4j.constrained.primal.ColumnGradient}); the update is the one of the full gradient.
 */
package io.github.lagrange4j.constrained.primal;
