/**
 * Sweeps: a grid of budgets, penalty weights and seeds ({@link io.github.lagrange4j.sweep.SweepGrid}) expanded into
 * ordinary run directories ({@link io.github.lagrange4j.sweep.SweepPlan}, {@code sweep.json}), trained each in a
 * JVM of its own ({@link io.github.lagrange4j.sweep.RunProcess}) by an executor (embedded, or Apache Spark from the
 * {@code sweep-spark} module), resumed from what the directories hold ({@link io.github.lagrange4j.sweep.RunProgress}),
 * and summarised as the accuracy-sparsity frontier ({@link io.github.lagrange4j.sweep.FrontierReport}).
 */
package io.github.lagrange4j.sweep;
