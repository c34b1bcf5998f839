/**
 * Scalar constants owned by the engine, for differentiated code: on DJL's PyTorch engine a number operand
 * of {@code mul}, {@code div}, {@code pow} borrows a JVM buffer that autograd may read after it is freed;
 * {@link io.github.lagrange4j.constrained.util.Scalars} avoids it.
 */
package io.github.lagrange4j.constrained.util;
