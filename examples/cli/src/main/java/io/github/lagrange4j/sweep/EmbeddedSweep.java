package io.github.lagrange4j.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes a sweep on this machine: {@link SweepExecution#parallel()} runs at once, each in its own JVM
 * ({@link RunProcess}), started in plan order.
 */
public final class EmbeddedSweep implements SweepExecutor {

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public SweepExecutor withMaster(String master) {
        if (master != null) {
            throw new IllegalArgumentException("the embedded sweep has no master, got " + master);
        }
        return this;
    }

    @Override
    public List<RunOutcome> execute(Path sweepDirectory, List<PlannedRun> runs, SweepExecution execution,
            PrintWriter log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(execution.parallel(), runs.size())));
        try {
            List<Future<RunOutcome>> futures = new ArrayList<>();
            for (PlannedRun run : runs) {
                futures.add(pool.submit(() -> RunProcess.run(sweepDirectory, run, execution, line -> {
                    synchronized (log) {
                        log.println(line);
                        log.flush();
                    }
                })));
            }
            List<RunOutcome> outcomes = new ArrayList<>();
            for (Future<RunOutcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
