package io.github.lagrange4j.sweep.spark;

import io.github.lagrange4j.sweep.RunOutcome;
import io.github.lagrange4j.sweep.RunProcess;
import io.github.lagrange4j.sweep.SweepExecution;
import io.github.lagrange4j.sweep.SweepPlan;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task of one run: on the executor it reads the run from {@code sweep.json} in the shared sweep
 * directory and trains it with {@link RunProcess} (a JVM of its own on the executor's host, with the executor's
 * class path, retried up to the attempts allowed). Its log lines go to the executor's standard error and the
 * run's log file {@code SWEEP_DIR/logs/RUN_ID.log}.
 */
final class TrainRunTask implements Function<String, RunOutcome> {

    private static final long serialVersionUID = 1L;

    private final String sweepDirectory;
    private final SweepExecution execution;

    TrainRunTask(String sweepDirectory, SweepExecution execution) {
        this.sweepDirectory = sweepDirectory;
        this.execution = execution;
    }

    @Override
    public RunOutcome call(String runId) throws Exception {
        Path dir = Path.of(sweepDirectory);
        return RunProcess.run(dir, SweepPlan.read(dir).run(runId), execution, line -> {
            System.err.println("lagrange4j sweep: " + line);
            System.err.flush();
        });
    }
}
