package io.github.lagrange4j.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * How a sweep's runs are executed: each run trains in a JVM of its own ({@link RunProcess}), so that runs
 * side by side neither share the engine's global random state nor its thread pool.
 *
 * @param parallel the runs at once (embedded), at least 1
 * @param threadsPerRun the engine's threads in each run ({@code ai.djl.pytorch.num_threads}), at least 1; on
 *     Spark also {@code spark.task.cpus}
 * @param maxAttempts the processes started for a run before it counts as failed, at least 1
 * @param javaOptions the run JVMs' options (heap, direct memory, system properties)
 * @param classpath the run JVMs' class path, or null for the class path of the JVM that starts them
     *     ({@link SweepSetup#classpath()})
 * @param workerMain the main class that trains one run: arguments {@code SWEEP_DIR RUN_ID}
 */
public record SweepExecution(int parallel, int threadsPerRun, int maxAttempts, List<String> javaOptions,
        String classpath, String workerMain) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks the counts; messages name the options. */
    public SweepExecution {
        javaOptions = List.copyOf(javaOptions);
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        }
        if (threadsPerRun < 1) {
            throw new IllegalArgumentException("--threads-per-run must be >= 1, got " + threadsPerRun);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts must be >= 1, got " + maxAttempts);
        }
    }

    /**
     * The default split of this machine's cores: one engine thread per run up to 4 cores, then a quarter of the
     * cores per run; as many runs at once as the threads fit.
     *
     * @param cores the cores
     * @return {runs at once, threads per run}
     */
    public static int[] defaultSplit(int cores) {
        int threads = Math.max(1, cores / 4);
        return new int[] {Math.max(1, cores / threads), threads};
    }
}
