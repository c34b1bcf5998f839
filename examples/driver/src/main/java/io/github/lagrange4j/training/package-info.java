/**
 * The training driver as a library: run settings and presets, the constrained and penalized sparsity
 * trainer, the fixed-mask fine-tuning phase, run directories with checkpoints and exact resume, the dense
 * baseline and the CPU kernel self-check.
 */
package io.github.lagrange4j.training;
