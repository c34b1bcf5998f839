/**
 * Runnable examples of lagrange4j: each class has a {@code main} that calls a static
 * {@code runExample(String...)} returning a result record, which a smoke test checks.
 *
 * <ul>
 *   <li>{@link io.github.lagrange4j.examples.PenalizedVsConstrained}: the gated MLP trained penalized
 *       (Louizos λ) and constrained (density ≤ ε) by the same loop, with the paper-style table;
 *   <li>{@link io.github.lagrange4j.examples.CustomConstraints}: a MAC budget and a user-written cap on
 *       one layer's density next to the task loss, with the library API directly;
 *   <li>{@link io.github.lagrange4j.examples.EngineSwap}: the same constrained run on the engine named
 *       by {@code --engine};
 *   <li>{@link io.github.lagrange4j.examples.FashionMnist}: the constrained gated MLP on Fashion-MNIST.
 * </ul>
 */
package io.github.lagrange4j.examples;
