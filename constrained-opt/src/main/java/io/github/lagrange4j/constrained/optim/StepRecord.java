package io.github.lagrange4j.constrained.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one step of a constrained optimizer saw and produced, for logging; immutable (arrays are
 * copied on the way in and on the way out).
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

    private static Map<String, double[]> deepCopy(Map<String, double[]> m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
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

    private static double[] require(Map<String, double[]> m, String name) {
        double[] v = m.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no constraint named '" + name + "' in this record");
        }
        return v;
    }
}
