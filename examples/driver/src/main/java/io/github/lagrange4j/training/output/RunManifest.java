package io.github.lagrange4j.training.output;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity card of a run, {@code config.json}: the caller's configuration (hyperparameters, model,
 * ε…), the seed, the engine, and the versions and platform it ran on.
 *
 * <p>Order of calls: at the start of a new run, {@link #capture(Object, long, String, String)} then
 * {@link #write(Path)}; when resuming, {@link #read(Path)} the stored manifest, build the manifest the new
 * invocation would write, and refuse to go on if {@code stored.diff(requested)} is not empty (unless the
 * user overrides). Only the configuration, the seed and the engine name take part in {@link #diff}; the
 * versions, the platform and the start time are informative.
 *
 * <p>The configuration may be a {@code Map<String, Object>} or any object Gson can serialise (a record);
 * it is stored as a JSON object and can be read back with {@link #configurationAs(Class)}. Nested
 * objects are compared by dotted keys ({@code optimizer.lr}); numbers compare by value, so {@code 200}
 * equals {@code 200.0}. Configuration fields should be primitives, strings, enums, {@link Path}s (stored
 * as text), lists, maps or records of those.
 */
public final class RunManifest {

    /** File name of the manifest in a run directory. */
    public static final String FILE = "config.json";

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeNulls()
            .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
            .create();

    private final JsonObject configuration;
    private final long seed;
    private final String engineName;
    private final String engineVersion;
    private final String djlVersion;
    private final String javaVersion;
    private final String os;
    private final Instant startTime;

    private RunManifest(JsonObject configuration, long seed, String engineName, String engineVersion,
            String djlVersion, String javaVersion, String os, Instant startTime) {
        this.configuration = configuration;
        this.seed = seed;
        this.engineName = requireText("engineName", engineName);
        this.engineVersion = requireText("engineVersion", engineVersion);
        this.djlVersion = requireText("djlVersion", djlVersion);
        this.javaVersion = requireText("javaVersion", javaVersion);
        this.os = requireText("os", os);
        this.startTime = Objects.requireNonNull(startTime, "startTime");
    }

    /**
     * Describes a run starting now on this JVM: DJL version from {@link Engine#getDjlVersion()} (which
     * does not start an engine), Java version and OS from the system properties.
     *
     * @param configuration a {@code Map<String, Object>} or a Gson-serialisable object (e.g. a record)
     *     that serialises to a JSON object
     * @param seed the run's seed
     * @param engineName the engine's name, e.g. {@code engine.getEngineName()} ("PyTorch")
     * @param engineVersion the engine's version, e.g. {@code engine.getVersion()} ("2.7.1")
     * @return the manifest
     */
    public static RunManifest capture(Object configuration, long seed, String engineName, String engineVersion) {
        return of(configuration, seed, engineName, engineVersion, Engine.getDjlVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Instant.now());
    }

    /**
     * Creates a manifest from explicit values (for tests and tools).
     *
     * @param configuration see {@link #capture}
     * @param seed the run's seed
     * @param engineName the engine's name
     * @param engineVersion the engine's version
     * @param djlVersion the DJL version
     * @param javaVersion the Java version
     * @param os the operating system
     * @param startTime when the run started
     * @return the manifest
     * @throws IllegalArgumentException if the configuration does not serialise to a JSON object or a text
     *     is blank
     */
    public static RunManifest of(Object configuration, long seed, String engineName, String engineVersion,
            String djlVersion, String javaVersion, String os, Instant startTime) {
        Objects.requireNonNull(configuration, "configuration");
        JsonElement tree = GSON.toJsonTree(configuration);
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException(
                    "configuration must serialise to a JSON object, got " + tree + " from " + configuration.getClass());
        }
        return new RunManifest(tree.getAsJsonObject().deepCopy(), seed, engineName, engineVersion,
                djlVersion, javaVersion, os, startTime);
    }

    /**
     * Reads {@code config.json} from a run directory.
     *
     * @param runDirectory the run directory
     * @return the stored manifest
     * @throws IOException if the file is missing or unreadable, or malformed (message names the file and
     *     the fault)
     */
    public static RunManifest read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            JsonObject o = element.getAsJsonObject();
            JsonObject engine = object(o, "engine");
            JsonElement configuration = o.get("configuration");
            if (configuration == null || !configuration.isJsonObject()) {
                throw new IllegalArgumentException("missing object \"configuration\"");
            }
            return new RunManifest(configuration.getAsJsonObject(), text(o, "seed").getAsLong(),
                    text(engine, "name").getAsString(), text(engine, "version").getAsString(),
                    text(o, "djlVersion").getAsString(), text(o, "javaVersion").getAsString(),
                    text(o, "os").getAsString(), Instant.parse(text(o, "startTime").getAsString()));
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed run manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code config.json} into {@code runDirectory} atomically, pretty-printed.
     *
     * @param runDirectory the run directory (created if missing)
     * @throws IOException if the file cannot be written
     */
    public void write(Path runDirectory) throws IOException {
        JsonObject o = new JsonObject();
        o.add("configuration", configuration.deepCopy());
        o.addProperty("seed", seed);
        JsonObject engine = new JsonObject();
        engine.addProperty("name", engineName);
        engine.addProperty("version", engineVersion);
        o.add("engine", engine);
        o.addProperty("djlVersion", djlVersion);
        o.addProperty("javaVersion", javaVersion);
        o.addProperty("os", os);
        o.addProperty("startTime", startTime.toString());
        AtomicFiles.writeText(runDirectory.resolve(FILE), GSON.toJson(o) + "\n");
    }

    /**
     * Lists what differs between this (stored) manifest and {@code requested}, one line per key in key
     * order: {@code "key: old -> new"}, with {@code <absent>} for a key only one side has. Compared keys:
     * {@code seed}, {@code engine}, and every leaf of the configuration as {@code configuration.<dotted
     * key>}. Strings print without quotes, other values as JSON.
     *
     * @param requested the manifest of the run about to start
     * @return the differences; empty if the runs are compatible
     */
    public List<String> diff(RunManifest requested) {
        Objects.requireNonNull(requested, "requested");
        SortedMap<String, JsonElement> mine = comparedLeaves();
        SortedMap<String, JsonElement> theirs = requested.comparedLeaves();
        List<String> lines = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        for (String key : keys) {
            JsonElement a = mine.get(key);
            JsonElement b = theirs.get(key);
            if (!sameValue(a, b)) {
                lines.add(key + ": " + show(a) + " -> " + show(b));
            }
        }
        return lines;
    }

    /**
     * Returns the configuration converted to {@code type} by Gson (e.g. the driver's configuration
     * record), for resuming a run with its stored settings.
     *
     * @param type the class to convert to
     * @param <T> the type
     * @return a new instance
     */
    public <T> T configurationAs(Class<T> type) {
        return GSON.fromJson(configuration, type);
    }

    /**
     * Returns the configuration as JSON text.
     *
     * @return the pretty-printed configuration object
     */
    public String configurationJson() {
        return GSON.toJson(configuration);
    }

    /** @return the run's seed */
    public long seed() {
        return seed;
    }

    /** @return the engine's name, e.g. "PyTorch" */
    public String engineName() {
        return engineName;
    }

    /** @return the engine's version */
    public String engineVersion() {
        return engineVersion;
    }

    /** @return the DJL version */
    public String djlVersion() {
        return djlVersion;
    }

    /** @return the Java version and vendor */
    public String javaVersion() {
        return javaVersion;
    }

    /** @return the operating system name, version and architecture */
    public String os() {
        return os;
    }

    /** @return when the run started */
    public Instant startTime() {
        return startTime;
    }

    private SortedMap<String, JsonElement> comparedLeaves() {
        SortedMap<String, JsonElement> leaves = new TreeMap<>();
        leaves.put("seed", new JsonPrimitive(seed));
        leaves.put("engine", new JsonPrimitive(engineName));
        flatten("configuration", configuration, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonElement element, Map<String, JsonElement> out) {
        if (element.isJsonObject()) {
            JsonObject o = element.getAsJsonObject();
            if (o.size() == 0) {
                out.put(prefix, o);
            }
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, element);
        }
    }

    private static boolean sameValue(JsonElement a, JsonElement b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isJsonPrimitive() && b.isJsonPrimitive()
                && a.getAsJsonPrimitive().isNumber() && b.getAsJsonPrimitive().isNumber()) {
            try {
                return a.getAsBigDecimal().compareTo(b.getAsBigDecimal()) == 0;
            } catch (NumberFormatException e) {
                return a.equals(b);
            }
        }
        return a.equals(b);
    }

    private static String show(JsonElement e) {
        if (e == null) {
            return "<absent>";
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        return e.toString();
    }

    private static JsonObject object(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException("missing object \"" + field + "\"");
        }
        return e.getAsJsonObject();
    }

    private static JsonPrimitive text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return e.getAsJsonPrimitive();
    }

    /** Stores paths as their text: Gson cannot reflect into the JDK's file-system classes. */
    private static final class PathAdapter extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Path.of(in.nextString());
        }
    }

    private static String requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank text, got " + value);
        }
        return value;
    }
}
