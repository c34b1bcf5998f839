/**
 * Compaction: turns a trained gated {@code SequentialBlock} into an ordinary, smaller DJL model
 * ({@code Linear} / {@code Conv2d}) with dead inputs and channels removed and the deterministic gates
 * folded into the weights ({@link io.github.lagrange4j.l0.compact.Compaction}), and the check that it
 * predicts like the gated model ({@link io.github.lagrange4j.l0.compact.Agreement}).
 */
package io.github.lagrange4j.l0.compact;
