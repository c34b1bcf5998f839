/**
 * Scalar constants owned by the engine, for differentiated code: on DJL's PyTorch engine a number operand
 * of {@code mul}, {@code div}, {@code pow} borrows a JVM buffer that autograd may read after it is freed;
 * {@link io.github.lagrange4j.constrained.util.Scalars} avoids it. {@link
 * io.github.lagrange4j.constrained.util.DirectMemory} gives a float32 array's own memory as a verified direct
 * buffer, for updates written from Java.
 */
package io.github.lagrange4j.constrained.util;
