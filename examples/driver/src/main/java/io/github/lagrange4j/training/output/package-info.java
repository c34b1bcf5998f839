/**
 * The run-output layer of the training driver: everything a run leaves on disk, written crash-safely.
 *
 * <p>A run directory holds {@code config.json} ({@link io.github.lagrange4j.training.output.RunManifest}),
 * {@code metrics.csv} and {@code metrics.jsonl} ({@link io.github.lagrange4j.training.output.MetricsLog}
 * of {@link io.github.lagrange4j.training.output.EpochMetrics}), the training-dynamics figure
 * ({@code dynamics.png}, drawn by the command line through a {@link io.github.lagrange4j.training.RunListener})
 * and a {@code checkpoints/} directory
 * ({@link io.github.lagrange4j.training.output.CheckpointStore}). Every file is written through
 * {@link io.github.lagrange4j.training.output.AtomicFiles}: a temporary file in the same directory, fsync,
 * then an atomic rename, so a killed run never leaves a half-written file where a good one was.
 *
 * <p>Nothing here starts a DJL engine or touches native memory.
 */
package io.github.lagrange4j.training.output;
