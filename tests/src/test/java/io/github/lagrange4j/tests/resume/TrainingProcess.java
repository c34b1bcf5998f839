package io.github.lagrange4j.tests.resume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code lagrange4j} command line running in its own JVM (the test's class path, see {@link #classPath()}, DJL offline, PyTorch),
 * with its standard output and error in a log file, that a test can kill with SIGKILL.
 */
final class TrainingProcess {

    private final Process process;
    private final Path logFile;

    private TrainingProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java --add-modules jdk.incubator.vector -cp <test class path> io.github.lagrange4j.cli.Main
     * <args>}, as the launcher starts the command line (the same Adam update as the test JVM's, to the bit).
     *
     * @param logFile where the process's standard output and error go
     * @param args the command-line arguments, starting with the command
     * @return the running process
     */
    static TrainingProcess start(Path logFile, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-cp", classPath(), "-Dai.djl.offline=true",
                "-DOPT_OUT_TRACKING=true", "-Dai.djl.default_engine=PyTorch", "io.github.lagrange4j.cli.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return new TrainingProcess(builder.start(), logFile);
    }

    /**
     * The test class path: surefire's forked JVM runs from a manifest-only booter jar, so
     * {@code java.class.path} names just that jar and the real path is in {@code surefire.test.class.path}.
     *
     * @return the class path for the child JVM
     */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * Waits until a condition holds while the process runs.
     *
     * @param condition what to wait for (polled every 20 ms)
     * @param what the condition, for the failure message
     * @param timeoutSeconds how long to wait at most
     * @throws AssertionError if the process ends first or the time runs out; the message holds its log
     */
    void awaitWhileRunning(BooleanSupplier condition, String what, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the training process ended (exit code " + process.exitValue()
                        + ") before " + what + "; its output:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s waiting for " + what
                        + "; output so far:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Sends SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for the process to die.
     *
     * @return its exit code (137 = 128 + SIGKILL)
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()} on Linux), as {@code kill PID} or a stopping service would,
     * and waits for the process to end.
     *
     * @return its exit code (143 = 128 + SIGTERM)
     */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /**
     * Waits for the process to end by itself.
     *
     * @param timeoutSeconds how long to wait at most
     * @return its exit code
     * @throws AssertionError if it still runs after the timeout (it is then killed)
     */
    int await(long timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not end within " + timeoutSeconds + " s; its output:\n" + log());
        }
        return process.exitValue();
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return whether the process still runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the process's output so far */
    String log() throws IOException {
        return Files.readString(logFile);
    }
}
