/**
 * The primal side: optimizers of DJL parameters whose state (Adam moments, step counts) is owned here and
 * saved exactly, and adapters for a DJL {@code Trainer} or a plain list of arrays.
 */
package io.github.lagrange4j.constrained.primal;
