package io.github.lagrange4j.training.output;

import ai.djl.engine.Engine;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The identity card of a run, {@code config.json}: the caller's configuration (hyperparameters, model,
 * ε…), the seed, the engine, and the versions and platform it ran on.
 *
 * <p>Order of calls: at the start of a new run, {@link #capture(Object, long, String, String)} then
 * {@link #write(Path)}; when resuming, {@link #read(Path)} the stored manifest, build the manifest the new
 * invocation would write, and refuse to go on if they differ (unless the user overrides). The training driver
 * compares its {@code RunSettings} structurally ({@code RunSettings.differences}, by setting path); {@link #diff}
 * is the generic comparison for a caller's own configuration object. Only the configuration, the seed and the
 * engine name take part in {@link #diff}; the versions, the platform and the start time are informative.
 *
 * <p>The configuration may be a {@code Map<String, Object>} or any object Gson can serialise (a record);
 * it is stored as a JSON object and can be read back with {@link #configurationAs(Class)}. Nested
 * objects are compared by dotted keys ({@code optimizer.lr}); numbers compare by value, so {@code 200}
 * equals {@code 200.0}. Configuration fields should be primitives, strings, enums, {@link Path}s (stored
 * as text), lists, maps or records of those.
 *
 * <p>The file's JSON mapping is {@link ManifestJson}'s, the comparison of two manifests {@link ManifestDiff}'s.
 */
public final class RunManifest {

    /** File name of the manifest in a run directory. */
    public static final String FILE = "config.json";

    private final JsonObject configuration;
    private final long seed;
    private final String engineName;
    private final String engineVersion;
    private final String djlVersion;
    private final String javaVersion;
    private final String os;
    private final Instant startTime;

    RunManifest(JsonObject configuration, long seed, String engineName, String engineVersion,
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
        JsonElement tree = ManifestJson.GSON.toJsonTree(configuration);
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
        return ManifestJson.read(runDirectory.resolve(FILE));
    }

    /**
     * Writes {@code config.json} into {@code runDirectory} atomically, pretty-printed.
     *
     * @param runDirectory the run directory (created if missing)
     * @throws IOException if the file cannot be written
     */
    public void write(Path runDirectory) throws IOException {
        AtomicFiles.writeText(runDirectory.resolve(FILE), ManifestJson.toJson(this) + "\n");
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
        return ManifestDiff.between(this, requested);
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
        return ManifestJson.GSON.fromJson(configuration, type);
    }

    /**
     * Returns the configuration as JSON text.
     *
     * @return the pretty-printed configuration object
     */
    public String configurationJson() {
        return ManifestJson.GSON.toJson(configuration);
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

    /** @return the configuration as stored (not copied; the manifest's readers do not modify it) */
    JsonObject configuration() {
        return configuration;
    }

    private static String requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank text, got " + value);
        }
        return value;
    }
}
