package io.github.lagrange4j.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains one run of a sweep in a JVM of its own and retries it when it fails.
 *
 * <p>Per attempt: if the run's directory shows it complete ({@link RunProgress}) nothing is started; otherwise
 * {@code java OPTIONS -Dai.djl.pytorch.num_threads=T -cp CLASSPATH WORKER_MAIN SWEEP_DIR RUN_ID} starts, its
 * output appended to {@code SWEEP_DIR/logs/RUN_ID.log}. The worker starts the run or resumes it from its newest
 * checkpoint (the run directory's own machinery), so a retry continues where the failed attempt stopped. The
 * worker's standard input stays open as a lifeline: when this JVM dies the pipe closes and the worker stops
 * too, leaving a resumable run directory. After a failed attempt it waits 2 s × attempt and tries again, up to
 * {@link SweepExecution#maxAttempts()} attempts.
 */
public final class RunProcess {

    /** The sweep directory's subdirectory with one log per run. */
    public static final String LOGS = "logs";

    private RunProcess() {}

    /**
     * Trains a run to completion or until its attempts are used up.
     *
     * @param sweepDirectory the sweep directory
     * @param run the run
     * @param execution threads, attempts and the JVM settings
     * @param log receives one line per start, completion and failure
     * @return the outcome
     */
    public static RunOutcome run(Path sweepDirectory, PlannedRun run, SweepExecution execution, Consumer<String> log) {
        String host = host();
        Path runDirectory = sweepDirectory.resolve(run.id());
        int attempts = 0;
        String message = "";
        try {
            if (RunProgress.of(run, runDirectory).complete()) {
                return new RunOutcome(run.id(), true, 0, host, "already complete");
            }
            Path logFile = sweepDirectory.resolve(LOGS).resolve(run.id() + ".log");
            Files.createDirectories(logFile.getParent());
            while (attempts < execution.maxAttempts()) {
                attempts++;
                RunProgress before = RunProgress.of(run, runDirectory);
                log.accept(String.format("%s: attempt %d/%d on %s (%s, %d/%d epochs done), log %s", run.id(), attempts,
                        execution.maxAttempts(), host, before.status().name().toLowerCase(), before.epochsDone(),
                        before.totalEpochs(), logFile));
                int exit = launch(sweepDirectory, run, execution, logFile);
                RunProgress after = RunProgress.of(run, runDirectory);
                if (exit == 0 && after.complete()) {
                    log.accept(run.id() + ": complete");
                    return new RunOutcome(run.id(), true, attempts, host, "complete");
                }
                message = lastError(logFile, exit);
                log.accept(String.format("%s: attempt %d/%d failed (%d/%d epochs done): %s", run.id(), attempts,
                        execution.maxAttempts(), after.epochsDone(), after.totalEpochs(), message));
                if (attempts < execution.maxAttempts()) {
                    Thread.sleep(2000L * attempts);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            message = "interrupted";
        } catch (IOException | RuntimeException e) {
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.accept(run.id() + ": " + message);
        }
        return new RunOutcome(run.id(), false, attempts, host, message);
    }

    /**
     * Returns the command line of a run's JVM.
     *
     * @param sweepDirectory the sweep directory
     * @param run the run
     * @param execution the JVM settings
     * @return the command
     */
    public static List<String> command(Path sweepDirectory, PlannedRun run, SweepExecution execution) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : execution.javaOptions()) {
            if (!option.startsWith("-Dai.djl.pytorch.num_threads=")) {
                command.add(option);
            }
        }
        command.add("-Dai.djl.pytorch.num_threads=" + execution.threadsPerRun());
        command.add("-Dai.djl.offline=true");
        command.add("-DOPT_OUT_TRACKING=true");
        command.add("-cp");
        command.add(execution.classpath() != null ? execution.classpath() : SweepSetup.classpath());
        command.add(execution.workerMain());
        command.add(sweepDirectory.toAbsolutePath().toString());
        command.add(run.id());
        return command;
    }

    private static int launch(Path sweepDirectory, PlannedRun run, SweepExecution execution, Path logFile)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(sweepDirectory, run, execution));
        Map<String, String> env = builder.environment();
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process = builder.start();
        // the lifeline: kept open while this JVM lives; the worker stops when it reads end-of-file
        OutputStream lifeline = process.getOutputStream();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            throw e;
        } finally {
            lifeline.close();
        }
    }

    /** The last line of the log that reports an error, or the exit code. */
    static String lastError(Path logFile, int exit) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.startsWith("error:") || line.contains("Exception")) {
                    return line.trim() + " (exit code " + exit + ")";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the exit code
        }
        return "exit code " + exit + " (see the log)";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
