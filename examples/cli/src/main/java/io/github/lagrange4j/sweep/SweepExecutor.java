package io.github.lagrange4j.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Executes the unfinished runs of a sweep: {@link EmbeddedSweep} on this machine, or an implementation found
 * with {@link java.util.ServiceLoader} (the {@code sweep-spark} module's, on Apache Spark). Each run trains in
 * its directory {@code sweepDirectory/RUN_ID}; an implementation retries a failing run up to
 * {@link SweepExecution#maxAttempts()} times and reports every run's outcome, never throwing for a failed run.
 */
public interface SweepExecutor {

    /**
     * Returns the executor's name, as {@code sweep} selects it ("embedded", "spark").
     *
     * @return the name
     */
    String name();

    /**
     * Configures where the executor runs, e.g. a Spark master URL.
     *
     * @param master the master, or null for the executor's default
     * @return an executor bound to it
     */
    SweepExecutor withMaster(String master);

    /**
     * Trains the given runs.
     *
     * @param sweepDirectory the sweep directory (holding {@code sweep.json}); on a cluster, a path every
     *     executor reaches
     * @param runs the runs to train, in start order
     * @param execution threads, attempts and the run JVMs' settings
     * @param log where to report starts, completions and failures
     * @return one outcome per run, in the order given
     * @throws Exception if the executor itself fails (not a run)
     */
    List<RunOutcome> execute(Path sweepDirectory, List<PlannedRun> runs, SweepExecution execution, PrintWriter log)
            throws Exception;
}
