package io.github.lagrange4j.training.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON-lines encoding of {@link EpochMetrics}: one compact object per line with every record component
 * by name. Decoding is strict: every field is required, of the right type, and unknown fields are refused,
 * so a hand-edited or truncated line fails loudly instead of turning into zeros.
 */
final class MetricsJson {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Set<String> FIELDS = Set.of(
            "epoch", "trainLoss", "testError", "expectedDensity", "deterministicDensity",
            "prunedArchitecture", "keptParameters", "keptMacs", "multipliers", "violations",
            "targetDensities", "seconds", "phase", "validationError", "budgetMet");

    private MetricsJson() {}

    /** Encodes one record as a single line of JSON, without the line break. */
    static String encode(EpochMetrics m) {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", m.epoch());
        o.addProperty("trainLoss", m.trainLoss());
        o.addProperty("testError", m.testError());
        o.addProperty("expectedDensity", m.expectedDensity());
        o.addProperty("deterministicDensity", m.deterministicDensity());
        o.addProperty("prunedArchitecture", m.prunedArchitecture());
        o.addProperty("keptParameters", m.keptParameters());
        o.addProperty("keptMacs", m.keptMacs());
        o.add("multipliers", toJson(m.multipliers()));
        o.add("violations", toJson(m.violations()));
        o.add("targetDensities", toJson(m.targetDensities()));
        o.addProperty("seconds", m.seconds());
        o.addProperty("phase", m.phase());
        if (m.hasValidation()) {
            o.addProperty("validationError", m.validationError());
        }
        o.addProperty("budgetMet", m.budgetMet());
        return GSON.toJson(o);
    }

    /**
     * Decodes one line.
     *
     * @throws IllegalArgumentException naming the first missing, mistyped or out-of-range field
     */
    static EpochMetrics decode(String line) {
        JsonElement element;
        try {
            element = JsonParser.parseString(line);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not valid JSON (" + rootMessage(e) + ")", e);
        }
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + abbreviate(line));
        }
        JsonObject o = element.getAsJsonObject();
        for (String key : o.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException("unknown field \"" + key + "\"");
            }
        }
        return new EpochMetrics(
                (int) integer(o, "epoch", Integer.MIN_VALUE, Integer.MAX_VALUE),
                number(o, "trainLoss"),
                number(o, "testError"),
                number(o, "expectedDensity"),
                number(o, "deterministicDensity"),
                string(o, "prunedArchitecture"),
                integer(o, "keptParameters", Long.MIN_VALUE, Long.MAX_VALUE),
                integer(o, "keptMacs", Long.MIN_VALUE, Long.MAX_VALUE),
                map(o, "multipliers"),
                map(o, "violations"),
                map(o, "targetDensities"),
                number(o, "seconds"),
                // lines written before these fields existed: main phase, no validation, met iff no budget
                o.has("phase") ? string(o, "phase") : EpochMetrics.TRAIN,
                o.has("validationError") ? number(o, "validationError") : Double.NaN,
                o.has("budgetMet") ? bool(o, "budgetMet") : required(o, "targetDensities").getAsJsonObject().isEmpty());
    }

    private static JsonObject toJson(Map<String, Double> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    private static JsonElement required(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return e;
    }

    private static JsonPrimitive primitive(JsonObject o, String field, String expected) {
        JsonElement e = required(o, field);
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be " + expected + ", got " + e);
        }
        return e.getAsJsonPrimitive();
    }

    private static double number(JsonObject o, String field) {
        JsonPrimitive p = primitive(o, field, "a number");
        if (!p.isNumber()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a number, got " + p);
        }
        return p.getAsDouble();
    }

    private static long integer(JsonObject o, String field, long min, long max) {
        JsonPrimitive p = primitive(o, field, "an integer");
        if (!p.isNumber()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an integer, got " + p);
        }
        long value;
        try {
            value = p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an integer, got " + p, e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "field \"" + field + "\" must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    private static boolean bool(JsonObject o, String field) {
        JsonPrimitive p = primitive(o, field, "a boolean");
        if (!p.isBoolean()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a boolean, got " + p);
        }
        return p.getAsBoolean();
    }

    private static String string(JsonObject o, String field) {
        JsonPrimitive p = primitive(o, field, "a string");
        if (!p.isString()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a string, got " + p);
        }
        return p.getAsString();
    }

    private static Map<String, Double> map(JsonObject o, String field) {
        JsonElement e = required(o, field);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an object, got " + e);
        }
        Map<String, Double> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
            JsonElement v = entry.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException(
                        "field \"" + field + "\"[" + entry.getKey() + "] must be a number, got " + v);
            }
            map.put(entry.getKey(), v.getAsDouble());
        }
        return map;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
