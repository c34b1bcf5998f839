package io.github.lagrange4j.training.output;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resume check of {@link RunManifest#diff}: two manifests compared leaf by leaf. Compared keys: {@code
 * seed}, {@code engine} (its name), and every leaf of the configuration as {@code configuration.<dotted key>}
 * (an empty object is a leaf). Numbers compare by value ({@code 200} equals {@code 200.0}), everything else as
 * JSON. One line per differing key, in key order: {@code "key: old -> new"}, with {@code <absent>} for a key only
 * one side has; strings print without quotes, other values as JSON.
 */
final class ManifestDiff {

    private ManifestDiff() {}

    /**
     * Compares a stored manifest with the one of the run about to start.
     *
     * @param stored the stored manifest
     * @param requested the requested one
     * @return the differing keys' lines; empty if the runs are compatible
     */
    static List<String> between(RunManifest stored, RunManifest requested) {
        SortedMap<String, JsonElement> mine = comparedLeaves(stored);
        SortedMap<String, JsonElement> theirs = comparedLeaves(requested);
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

    private static SortedMap<String, JsonElement> comparedLeaves(RunManifest manifest) {
        SortedMap<String, JsonElement> leaves = new TreeMap<>();
        leaves.put("seed", new JsonPrimitive(manifest.seed()));
        leaves.put("engine", new JsonPrimitive(manifest.engineName()));
        flatten("configuration", manifest.configuration(), leaves);
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
}
