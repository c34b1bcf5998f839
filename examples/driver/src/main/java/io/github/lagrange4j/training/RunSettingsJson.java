package io.github.lagrange4j.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code config.json} form of {@link RunSettings}: one flat object whose keys are the groups' settings,
 * the layout every version has written, e.g. {@code {"model": "MLP", "approach": "CONSTRAINED", ...,
 * "normalization": "standardized", "dataset": "mnist", ..., "finetuneGateNoise": null}}.
 *
 * <p>Each group is mapped by Gson's own record support (its components are the keys, {@link ModelSettings}'
 * architecture is stored as {@code "model"}); the groups' objects are merged into one and written in the order
 * of the original flat record, settings added later at the end. Reading hands the flat object to every group,
 * each taking its keys; a key a file lacks (it predates the setting) reads as 0, false or null, which each group
 * documents as the setting's default (no dual method = gradient ascent, no schedule = constant, ...). The data
 * set, normalization and learning-rate schedule are stored by their labels ({@code "fashion-mnist"},
 * {@code "unit"}, {@code "cosine"}). The device count is written only when it is not 1, so a one-device run's file
 * is what it was before data-parallel training existed.
 */
final class RunSettingsJson implements JsonSerializer<RunSettings>, JsonDeserializer<RunSettings> {

    /** Maps the groups; also shows values in {@link SettingDifference}. */
    static final Gson GSON = new GsonBuilder().serializeNulls()
            .registerTypeAdapter(Normalization.class, new Labels<>(Normalization::label, Normalization::fromLabel))
            .registerTypeAdapter(DatasetKind.class, new Labels<>(DatasetKind::label, DatasetKind::of))
            .registerTypeAdapter(LearningRateSchedule.class,
                    new Labels<>(LearningRateSchedule::label, LearningRateSchedule::of))
            .create();

    /** The keys in the order of the flat record that wrote every existing {@code config.json}. */
    private static final List<String> ORDER = List.of("model", "approach", "scope", "epsilons", "penaltyLambda",
            "penaltyForm", "primalLearningRate", "gateLearningRate", "dualLearningRate", "dualRestarts", "dualMethod",
            "scheme", "batchSize", "epochs", "seed", "trainSubset", "testSubset", "normalization", "dataset",
            "rescaleWeights", "checkpointEvery", "finetuneEpochs", "validationSize", "lrSchedule", "budgetMargin",
            "finetuneWeightDecay", "finetuneGateNoise");

    @Override
    public JsonElement serialize(RunSettings s, Type type, JsonSerializationContext context) {
        JsonObject merged = new JsonObject();
        for (Record group : List.of(s.model(), s.objective(), s.optimization(), s.data(), s.schedule())) {
            for (Map.Entry<String, JsonElement> e : GSON.toJsonTree(group).getAsJsonObject().entrySet()) {
                merged.add(e.getKey(), e.getValue());
            }
        }
        merged.addProperty("seed", s.seed());
        if (s.optimization().devices() == 1) {
            merged.remove("devices"); // one device, as every file before the setting existed says by omitting it
        }
        JsonObject flat = new JsonObject();
        for (String key : ORDER) {
            if (merged.has(key)) {
                flat.add(key, merged.remove(key));
            }
        }
        for (Map.Entry<String, JsonElement> e : merged.entrySet()) {
            flat.add(e.getKey(), e.getValue());
        }
        return flat;
    }

    @Override
    public RunSettings deserialize(JsonElement json, Type type, JsonDeserializationContext context) {
        if (!json.isJsonObject()) {
            throw new JsonParseException("run settings must be a JSON object, got " + json);
        }
        JsonObject flat = json.getAsJsonObject();
        try {
            return new RunSettings(GSON.fromJson(flat, ModelSettings.class), GSON.fromJson(flat, ObjectiveSettings.class),
                    GSON.fromJson(flat, OptimizationSettings.class), GSON.fromJson(flat, DataSettings.class),
                    GSON.fromJson(flat, ScheduleSettings.class), flat.has("seed") ? flat.get("seed").getAsLong() : 0);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws; the validation message names the setting
            if (e.getClass() == RuntimeException.class && e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Stores an enum by its label. */
    private static final class Labels<E extends Enum<E>> extends TypeAdapter<E> {
        private final Function<E, String> label;
        private final Function<String, E> parse;

        Labels(Function<E, String> label, Function<String, E> parse) {
            this.label = label;
            this.parse = parse;
        }

        @Override
        public void write(JsonWriter out, E value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(label.apply(value));
            }
        }

        @Override
        public E read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return parse.apply(in.nextString());
        }
    }
}
