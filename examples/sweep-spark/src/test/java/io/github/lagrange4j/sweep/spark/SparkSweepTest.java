package io.github.lagrange4j.sweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on Apache Spark against the embedded sweep, on genuine MNIST (2,000 training images, 1 epoch): a local
 * Spark sweep of 2 budgets × 2 seeds, the same grid embedded (identical per-epoch metrics), and a 2-run sweep
 * through a standalone Spark master and worker started as separate processes on localhost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkSweepTest {

    @TempDir
    static Path work;

    /** Spark's driver binds to the loopback only (by default it picks a non-loopback interface). */
    @BeforeAll
    static void loopbackOnly() {
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    }

    @AfterAll
    static void clearSparkProperties() {
        for (String key : List.of("spark.driver.host", "spark.driver.bindAddress", "spark.executor.extraClassPath",
                "spark.executor.memory")) {
            System.clearProperty(key);
        }
    }

    private static List<String> grid(Path out, String epsilons, String seeds) throws IOException {
        List<String> args = new ArrayList<>(List.of("--epsilon", epsilons, "--seeds", seeds, "--out", out.toString()));
        args.addAll(SweepRuns.smallTrainOptions());
        return args;
    }

    @Test
    @Order(1)
    void localSparkSweepWritesFourRunsTheTableAndThePlot() throws Exception {
        Path out = work.resolve("spark-local");
        List<String> args = grid(out, "0.3,0.5", "1,2");
        args.addAll(List.of("--spark-master", "local[2]"));
        SweepRuns.Result r = SweepRuns.sweep(args);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("spark: master local[2], spark.task.cpus 1, 4 task(s)");

        Map<String, List<JsonObject>> metrics = SweepRuns.metrics(out);
        assertThat(metrics.keySet()).containsExactly("constrained-eps0.3-seed1", "constrained-eps0.3-seed2",
                "constrained-eps0.5-seed1", "constrained-eps0.5-seed2");
        metrics.values().forEach(epochs -> assertThat(epochs).hasSize(1));
        for (String run : metrics.keySet()) {
            assertThat(out.resolve(run).resolve("model.params")).isRegularFile();
            assertThat(out.resolve(run).resolve("config.json")).isRegularFile();
        }
        String table = Files.readString(out.resolve("results.md"));
        assertThat(table).contains("4 of 4 runs complete").contains("| constrained | 0.3 | 2/2 |")
                .contains("| constrained | 0.5 | 2/2 |");
        assertThat(Files.readAllLines(out.resolve("frontier.csv"))).hasSize(5);
        BufferedImage png = ImageIO.read(out.resolve("frontier.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(760);
        assertThat(png.getHeight()).isEqualTo(500);
        // the seeds differ: the runs are not copies of each other
        assertThat(metrics.get("constrained-eps0.3-seed1").get(0))
                .isNotEqualTo(metrics.get("constrained-eps0.3-seed2").get(0));
    }

    @Test
    @Order(2)
    void embeddedSweepTrainsTheSameRunsWithTheSameMetrics() throws Exception {
        Path out = work.resolve("embedded");
        SweepRuns.Result r = SweepRuns.sweep(grid(out, "0.3,0.5", "1,2"));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("embedded, 2 at once");
        Map<String, List<JsonObject>> embedded = SweepRuns.metrics(out);
        Map<String, List<JsonObject>> spark = SweepRuns.metrics(work.resolve("spark-local"));
        assertThat(embedded).hasSize(4).isEqualTo(spark);
        assertThat(Files.readString(out.resolve("results.md")))
                .isEqualTo(Files.readString(work.resolve("spark-local").resolve("results.md")));
    }

    @Test
    @Order(3)
    void standaloneMasterAndWorkerInSeparateProcessesTrainATwoRunSweep() throws Exception {
        Path sparkHome = work.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        List<String> directories = new ArrayList<>();
        String testClasspath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : testClasspath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                directories.add(entry);
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = sparkHome.resolve("jars").resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<Process> started = new ArrayList<>();
        try {
            Process m = daemon(sparkHome, testClasspath, work.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
            started.add(m);
            await(work.resolve("master.log"), "Starting Spark master", m, 60);
            Process w = daemon(sparkHome, testClasspath, work.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", "0",
                    "--work-dir", work.resolve("worker-work").toString(), master);
            started.add(w);
            await(work.resolve("master.log"), "Registering worker", m, 60);

            System.setProperty("spark.executor.extraClassPath", String.join(File.pathSeparator, directories));
            System.setProperty("spark.executor.memory", "1g");
            Path out = work.resolve("cluster");
            List<String> args = grid(out, "0.3,0.5", "1");
            args.addAll(List.of("--spark-master", master));
            SweepRuns.Result r = SweepRuns.sweep(args);
            assertThat(r.exitCode()).as(r.out() + r.err() + Files.readString(work.resolve("worker.log")))
                    .isZero();
            assertThat(r.out()).contains("spark: master " + master);
            Map<String, List<JsonObject>> cluster = SweepRuns.metrics(out);
            Map<String, List<JsonObject>> local = SweepRuns.metrics(work.resolve("spark-local"));
            assertThat(cluster.keySet()).containsExactly("constrained-eps0.3-seed1", "constrained-eps0.5-seed1");
            for (String run : cluster.keySet()) {
                assertThat(cluster.get(run)).isEqualTo(local.get(run));
            }
            // the runs were trained by the worker's executor (a process the worker started), not in this JVM
            assertThat(Files.readString(work.resolve("worker.log"))).contains("Asked to launch executor");
            String executorLog;
            try (Stream<Path> files = Files.walk(work.resolve("worker-work"))) {
                executorLog = files.filter(f -> f.getFileName().toString().equals("stderr")).map(f -> {
                    try {
                        return Files.readString(f);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).collect(java.util.stream.Collectors.joining("\n"));
            }
            assertThat(executorLog).contains("lagrange4j sweep: constrained-eps0.3-seed1: complete")
                    .contains("lagrange4j sweep: constrained-eps0.5-seed1: complete");
        } finally {
            for (String key : List.of("spark.executor.extraClassPath", "spark.executor.memory")) {
                System.clearProperty(key);
            }
            for (int i = started.size() - 1; i >= 0; i--) {
                Process p = started.get(i);
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Process daemon(Path sparkHome, String classpath, Path log, String main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(List.of(System.getProperty("spark.add.opens").trim().split("\\s+")));
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", classpath, main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private static void await(Path log, String text, Process process, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + log + ":\n"
                        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
