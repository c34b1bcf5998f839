package io.github.lagrange4j.sweep.spark;

import io.github.lagrange4j.sweep.PlannedRun;
import io.github.lagrange4j.sweep.RunOutcome;
import io.github.lagrange4j.sweep.SweepExecution;
import io.github.lagrange4j.sweep.SweepExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Executes a sweep on Apache Spark: one Spark task per unfinished run ({@link TrainRunTask}), each training its
 * run in its directory under the sweep directory, which every executor must reach (a shared file system).
 *
 * <p>Configuration: the master is {@code spark.master} when set (by {@code spark-submit --master}), else the
 * {@code --spark-master} URL ({@code local[*]} runs Spark inside this JVM); {@code spark.task.cpus} is the run's
 * engine threads ({@code --threads-per-run}), so an executor with C cores trains C / T runs at once; Spark's own
 * task retries are off ({@code spark.task.maxFailures=1}) because a task already retries its run up to
 * {@code --max-attempts} times, continuing from the run's checkpoints. Settings given with
 * {@code spark-submit --conf} win over these defaults.
 */
public final class SparkSweep implements SweepExecutor {

    private final String master;

    /** The executor found by {@link java.util.ServiceLoader}, without a master yet. */
    public SparkSweep() {
        this(null);
    }

    private SparkSweep(String master) {
        this.master = master;
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepExecutor withMaster(String sparkMaster) {
        return new SparkSweep(sparkMaster);
    }

    /**
     * Returns the Spark configuration of a sweep.
     *
     * @param sweepDirectory the sweep directory
     * @param execution the execution settings
     * @return the configuration
     */
    SparkConf configuration(Path sweepDirectory, SweepExecution execution) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(master != null ? master : "local[*]");
        }
        conf.setIfMissing("spark.app.name", "lagrange4j sweep " + sweepDirectory.getFileName());
        conf.setIfMissing("spark.task.cpus", Integer.toString(execution.threadsPerRun()));
        conf.setIfMissing("spark.task.maxFailures", "1");
        conf.setIfMissing("spark.ui.enabled", "false");
        return conf;
    }

    @Override
    public List<RunOutcome> execute(Path sweepDirectory, List<PlannedRun> runs, SweepExecution execution,
            PrintWriter log) {
        SparkConf conf = configuration(sweepDirectory, execution);
        List<String> ids = runs.stream().map(PlannedRun::id).toList();
        log.printf("spark: master %s, spark.task.cpus %s, %d task(s)%n", conf.get("spark.master"),
                conf.get("spark.task.cpus"), ids.size());
        log.flush();
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            List<RunOutcome> outcomes = spark.parallelize(ids, ids.size())
                    .map(new TrainRunTask(sweepDirectory.toAbsolutePath().toString(), execution)).collect();
            for (RunOutcome o : outcomes) {
                log.printf("spark: %s %s on %s after %d attempt(s)%s%n", o.id(), o.succeeded() ? "complete" : "FAILED",
                        o.host(), o.attempts(), o.succeeded() ? "" : ": " + o.message());
            }
            log.flush();
            return outcomes;
        }
    }
}
