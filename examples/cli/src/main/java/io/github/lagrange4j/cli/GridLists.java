package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.Approach;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Reads the comma-separated lists of a sweep's grid options; messages name the option and the bad item. */
final class GridLists {

    private GridLists() {}

    /**
     * Splits and converts a list.
     *
     * @param option the option's name, for messages
     * @param text the option's value
     * @param convert converts one item, throwing {@link IllegalArgumentException} when it cannot
     * @param <T> the item type
     * @return the items
     * @throws IllegalArgumentException if the list or an item is empty or cannot be read
     */
    static <T> List<T> parse(String option, String text, Function<String, T> convert) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(option + ": the list is empty; give comma-separated values");
        }
        List<T> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String t = item.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException(option + ": an empty item in '" + text + "'");
            }
            try {
                out.add(convert.apply(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": '" + t + "' is not valid"
                        + (e.getMessage() != null && !(e instanceof NumberFormatException) ? " (" + e.getMessage() + ")"
                        : ""), e);
            }
        }
        return out;
    }

    static Double number(String text) {
        return Double.parseDouble(text);
    }

    static Approach approach(String text) {
        try {
            return Approach.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CONSTRAINED or PENALIZED");
        }
    }
}
