package io.github.lagrange4j.training;

import com.google.gson.JsonElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One setting that differs between two {@link RunSettings}: its path (e.g. {@code objective.epsilons} or
 * {@code optimization.dualMethod.kind}) and both values as {@code config.json} writes them.
 *
 * <p>{@link #between} walks the two settings structurally: the components of {@link RunSettings}, then of each
 * group and of every record nested in one (the {@link DualMethod}), in declaration order; leaves compare with
 * {@code equals} (arrays element by element).
 *
 * @param path the setting's path in {@link RunSettings}
 * @param oldValue the value in the first settings (e.g. those a run was started with)
 * @param newValue the value in the second settings (e.g. those asked for now)
 */
public record SettingDifference(String path, String oldValue, String newValue) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     */
    public SettingDifference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
    }

    /**
     * Lists what differs from {@code a} to {@code b}.
     *
     * @param a the first settings
     * @param b the second settings
     * @return the differences in declaration order
     */
    static List<SettingDifference> between(RunSettings a, RunSettings b) {
        List<SettingDifference> out = new ArrayList<>();
        collect("", a, b, out);
        return out;
    }

    private static void collect(String prefix, Record a, Record b, List<SettingDifference> out) {
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            String path = prefix + c.getName();
            Object x = value(c, a);
            Object y = value(c, b);
            if (x instanceof Record rx && y instanceof Record ry && rx.getClass() == ry.getClass()) {
                collect(path + ".", rx, ry, out);
            } else if (!Objects.deepEquals(x, y)) {
                out.add(new SettingDifference(path, show(x), show(y)));
            }
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    /** A value as config.json writes it, strings without quotes (e.g. "standardized", "[0.33]", "1.0E-4"). */
    private static String show(Object value) {
        JsonElement json = RunSettingsJson.GSON.toJsonTree(value);
        return json.isJsonPrimitive() && json.getAsJsonPrimitive().isString() ? json.getAsString() : json.toString();
    }

    /**
     * Formats the difference as {@code path: old -> new}.
     *
     * @return the line
     */
    @Override
    public String toString() {
        return path + ": " + oldValue + " -> " + newValue;
    }

    /**
     * Formats differences one per element, as {@link #toString()}.
     *
     * @param differences the differences
     * @return the lines
     */
    public static List<String> lines(List<SettingDifference> differences) {
        return differences.stream().map(SettingDifference::toString).toList();
    }
}
