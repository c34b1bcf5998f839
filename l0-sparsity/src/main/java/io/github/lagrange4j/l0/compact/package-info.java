/**
 * Compaction: turns a trained gated {@code SequentialBlock} into an ordinary, smaller DJL model
 * ({@code Linear} / {@code Conv2d}) with dead inputs and channels removed and the deterministic gates
 * folded into the weights.
 */
package io.github.lagrange4j.l0.compact;
