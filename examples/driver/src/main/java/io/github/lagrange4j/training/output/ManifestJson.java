package io.github.lagrange4j.training.output;

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

/**
 * The JSON form of a {@link RunManifest}, the content of {@code config.json}:
 *
 * <pre>
 * {
 *   "configuration": { ... the caller's configuration ... },
 *   "seed": 1,
 *   "engine": { "name": "PyTorch", "version": "2.7.1" },
 *   "djlVersion": "0.36.0",
 *   "javaVersion": "17.0.15 (Eclipse Adoptium)",
 *   "os": "Linux 6.1 amd64",
 *   "startTime": "2026-01-01T00:00:00Z"
 * }
 * </pre>
 *
 * pretty-printed by Gson, nulls kept, no HTML escaping, {@link Path}s as their text.
 */
final class ManifestJson {

    /** The Gson of the file and of the configuration's conversions. */
    static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeNulls()
            .registerTypeHierarchyAdapter(Path.class, new PathAdapter())
            .create();

    private ManifestJson() {}

    /**
     * Reads a manifest file.
     *
     * @param file the {@code config.json} file
     * @return the manifest
     * @throws IOException if the file is missing or unreadable, or malformed (message names the file and
     *     the fault)
     */
    static RunManifest read(Path file) throws IOException {
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
     * Returns the file's text (without the final newline).
     *
     * @param manifest the manifest
     * @return the pretty-printed JSON
     */
    static String toJson(RunManifest manifest) {
        JsonObject o = new JsonObject();
        o.add("configuration", manifest.configuration().deepCopy());
        o.addProperty("seed", manifest.seed());
        JsonObject engine = new JsonObject();
        engine.addProperty("name", manifest.engineName());
        engine.addProperty("version", manifest.engineVersion());
        o.add("engine", engine);
        o.addProperty("djlVersion", manifest.djlVersion());
        o.addProperty("javaVersion", manifest.javaVersion());
        o.addProperty("os", manifest.os());
        o.addProperty("startTime", manifest.startTime().toString());
        return GSON.toJson(o);
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
}
