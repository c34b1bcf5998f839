package io.github.lagrange4j.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's operator profiler around one epoch of {@code bench --profile}: it writes the profiler's trace (Chrome
 * trace JSON: chrome://tracing or Perfetto open it) and sums it up by the operations the program dispatched
 * itself, the top-level ones (an operation called inside another, e.g. the kernels of a backward node, counts
 * in its caller).
 */
final class OperatorProfile {

    private OperatorProfile() {}

    /**
     * One top-level operation name over the profiled epoch.
     *
     * @param name the operator or autograd node ({@code aten::addmm}, {@code autograd::engine::evaluate_function:
     *     AddmmBackward0})
     * @param calls how many times it ran
     * @param micros its total time in microseconds (children included)
     */
    record Row(String name, long calls, double micros) {}

    /**
     * The summary of a trace.
     *
     * @param calls the top-level operations
     * @param micros their total time in microseconds
     * @param spanMicros from the first operation's start to the last one's end
     * @param rows per name, most time first
     */
    record Summary(long calls, double micros, double spanMicros, List<Row> rows) {}

    /**
     * Starts the profiler.
     *
     * @param engine the engine the epoch runs on
     * @throws IllegalArgumentException if it is not PyTorch (the only engine with an operator profiler here)
     */
    static void start(Engine engine) {
        if (!"PyTorch".equals(engine.getEngineName())) {
            throw new IllegalArgumentException("--profile needs the PyTorch engine (PyTorch's operator profiler),"
                    + " not " + engine.getEngineName());
        }
        JniUtils.startProfile(false, false, false);
    }

    /**
     * Stops the profiler, writes its trace and sums it up.
     *
     * @param trace the trace file to write
     * @return the summary
     * @throws IOException if the trace cannot be read back
     */
    static Summary stop(Path trace) throws IOException {
        Path absolute = trace.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        JniUtils.stopProfile(absolute.toString());
        try (Reader in = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
            return summarize(in);
        }
    }

    /**
     * Sums up a trace: the events of kind {@code "X"} (complete events with a start and a duration), nested per
     * thread by time.
     *
     * @param in the trace, a JSON array of events or an object with a {@code traceEvents} array
     * @return the summary
     * @throws IOException on malformed JSON
     */
    static Summary summarize(Reader in) throws IOException {
        List<double[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        try (JsonReader json = new JsonReader(in)) {
            if (json.peek() == JsonToken.BEGIN_OBJECT) {
                json.beginObject();
                while (json.hasNext()) {
                    if (json.nextName().equals("traceEvents")) {
                        readEvents(json, spans, names, threads);
                    } else {
                        json.skipValue();
                    }
                }
                json.endObject();
            } else {
                readEvents(json, spans, names, threads);
            }
        }
        Integer[] order = new Integer[spans.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // by thread, then start, the longer (enclosing) event first
        java.util.Arrays.sort(order, Comparator.<Integer, String>comparing(threads::get)
                .thenComparingDouble(i -> spans.get(i)[0]).thenComparingDouble(i -> -spans.get(i)[1]));
        Map<String, double[]> byName = new HashMap<>();
        double openEnd = Double.NEGATIVE_INFINITY;
        String thread = null;
        long calls = 0;
        double micros = 0;
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            double start = spans.get(i)[0];
            double duration = spans.get(i)[1];
            first = Math.min(first, start);
            last = Math.max(last, start + duration);
            if (!threads.get(i).equals(thread)) {
                thread = threads.get(i);
                openEnd = Double.NEGATIVE_INFINITY;
            }
            if (start < openEnd) {
                continue; // inside the current top-level operation
            }
            openEnd = start + duration;
            calls++;
            micros += duration;
            double[] row = byName.computeIfAbsent(names.get(i), k -> new double[2]);
            row[0]++;
            row[1] += duration;
        }
        List<Row> rows = new ArrayList<>();
        byName.forEach((name, r) -> rows.add(new Row(name, (long) r[0], r[1])));
        rows.sort(Comparator.comparingDouble(Row::micros).reversed());
        return new Summary(calls, micros, calls == 0 ? 0 : last - first, rows);
    }

    private static void readEvents(JsonReader json, List<double[]> spans, List<String> names, List<String> threads)
            throws IOException {
        json.beginArray();
        while (json.hasNext()) {
            String name = null;
            String phase = null;
            String tid = "";
            double ts = Double.NaN;
            double dur = Double.NaN;
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "name" -> name = json.nextString();
                    case "ph" -> phase = json.nextString();
                    case "tid" -> tid = json.nextString();
                    case "ts" -> ts = json.nextDouble();
                    case "dur" -> dur = json.nextDouble();
                    default -> json.skipValue();
                }
            }
            json.endObject();
            if ("X".equals(phase) && name != null && Double.isFinite(ts) && Double.isFinite(dur)) {
                spans.add(new double[] {ts, dur});
                names.add(name);
                threads.add(tid);
            }
        }
        json.endArray();
    }
}
