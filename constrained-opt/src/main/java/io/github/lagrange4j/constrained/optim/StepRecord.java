package io.github.lagrange4j.constrained.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one step of a constrained optimizer saw and produced, for logging; immutable.
 *
 * <p>No internal array is handed out: the constructor copies the maps and arrays it is given; the map
 * accessors ({@link #violations()}, {@link #multipliers()}, {@link #penaltyCoefficients()}) and {@link
 * #violation(String)}/{@link #multiplier(String)} return fresh copies, which the caller owns. Code that
 * runs after every step and only reads (a non-finite guard, a progress bar) uses the copy-free reads
 * {@link #multiplierNames()}, {@link #multiplier(String, int)}, {@link #forEachViolation} and {@link
 * #forEachMultiplier}. Equality compares the values.
 *
 * @param step the 1-based step number
 * @param loss the loss {@code f} at the primal point where the primal gradient was taken
 * @param lagrangian the primal Lagrangian value ({@code f} plus the formulation terms) there
 * @param violations per constraint name, the (strict) violations of the observed entries that
 *     drove the dual update
 * @param multipliers per constraint name, all multiplier values after the step
 * @param penaltyCoefficients per constraint name, all penalty coefficients after the step
 */
public record StepRecord(
        long step,
        double loss,
        double lagrangian,
        Map<String, double[]> violations,
        Map<String, double[]> multipliers,
        Map<String, double[]> penaltyCoefficients) {

    /** Copies the maps and arrays. */
    public StepRecord {
        violations = deepCopy(violations);
        multipliers = deepCopy(multipliers);
        penaltyCoefficients = deepCopy(penaltyCoefficients);
    }

    /**
     * Reads one value of a per-entry quantity of a record: called with the constraint's name, the entry's
     * index and its value.
     */
    @FunctionalInterface
    public interface EntryConsumer {
        /**
         * Receives one entry.
         *
         * @param name the constraint name
         * @param index the entry's position in that constraint's array
         * @param value the value
         */
        void accept(String name, int index, double value);
    }

    /**
     * Returns a copy of the violations of every constraint observed on this step.
     *
     * @return per constraint name, a copy of its observed entries' violations (an unmodifiable map)
     */
    @Override
    public Map<String, double[]> violations() {
        return deepCopy(violations);
    }

    /**
     * Returns a copy of the multipliers after this step.
     *
     * @return per constraint name, a copy of its multipliers (an unmodifiable map)
     */
    @Override
    public Map<String, double[]> multipliers() {
        return deepCopy(multipliers);
    }

    /**
     * Returns a copy of the penalty coefficients after this step.
     *
     * @return per constraint name, a copy of its penalty coefficients (an unmodifiable map)
     */
    @Override
    public Map<String, double[]> penaltyCoefficients() {
        return deepCopy(penaltyCoefficients);
    }

    /**
     * Returns the names of the constraints with multipliers, in the optimizer's order (no copy).
     *
     * @return an unmodifiable view
     */
    public Set<String> multiplierNames() {
        return multipliers.keySet();
    }

    /**
     * Returns a copy of one constraint's violations.
     *
     * @param name the constraint name
     * @return the violations of the observed entries
     */
    public double[] violation(String name) {
        return require(violations, name).clone();
    }

    /**
     * Returns a copy of one constraint's multipliers after the step.
     *
     * @param name the constraint name
     * @return the multipliers
     */
    public double[] multiplier(String name) {
        return require(multipliers, name).clone();
    }

    /**
     * Returns one multiplier entry after the step (no copy).
     *
     * @param name the constraint name
     * @param index the entry
     * @return its value
     */
    public double multiplier(String name, int index) {
        return require(multipliers, name)[index];
    }

    /**
     * Hands every violation entry to {@code consumer}, in the map's order (no copy).
     *
     * @param consumer receives name, index and value
     */
    public void forEachViolation(EntryConsumer consumer) {
        forEach(violations, consumer);
    }

    /**
     * Hands every multiplier entry to {@code consumer}, in the map's order (no copy).
     *
     * @param consumer receives name, index and value
     */
    public void forEachMultiplier(EntryConsumer consumer) {
        forEach(multipliers, consumer);
    }

    private static void forEach(Map<String, double[]> m, EntryConsumer consumer) {
        for (Map.Entry<String, double[]> e : m.entrySet()) {
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                consumer.accept(e.getKey(), i, v[i]);
            }
        }
    }

    private static Map<String, double[]> deepCopy(Map<String, double[]> m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    private static double[] require(Map<String, double[]> m, String name) {
        double[] v = m.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no constraint named '" + name + "' in this record");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepRecord r
                && step == r.step
                && Double.compare(loss, r.loss) == 0
                && Double.compare(lagrangian, r.lagrangian) == 0
                && sameValues(violations, r.violations)
                && sameValues(multipliers, r.multipliers)
                && sameValues(penaltyCoefficients, r.penaltyCoefficients);
    }

    private static boolean sameValues(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(step) * 31 + Double.hashCode(loss);
        h = h * 31 + Double.hashCode(lagrangian);
        for (Map<String, double[]> m : List.of(violations, multipliers, penaltyCoefficients)) {
            for (Map.Entry<String, double[]> e : m.entrySet()) {
                h = h * 31 + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "StepRecord[step=" + step + ", loss=" + loss + ", lagrangian=" + lagrangian
                + ", violations=" + text(violations) + ", multipliers=" + text(multipliers)
                + ", penaltyCoefficients=" + text(penaltyCoefficients) + "]";
    }

    private static String text(Map<String, double[]> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(Arrays.toString(v)));
        return b.append('}').toString();
    }
}
