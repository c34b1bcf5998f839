/**
 * Gated DJL blocks: {@link io.github.lagrange4j.l0.nn.L0Linear} (a dense layer gated on its input
 * neurons) and {@link io.github.lagrange4j.l0.nn.L0Conv2d} (a 2-D convolution gated on its output
 * channels), both {@link io.github.lagrange4j.l0.nn.GatedLayer}s.
 */
package io.github.lagrange4j.l0.nn;
