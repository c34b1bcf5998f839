package io.github.lagrange4j.constrained.formulation;

import io.github.lagrange4j.constrained.constraint.ConstraintType;
import java.util.Arrays;

/**
 * The penalty coefficients {@code c_i > 0} of one constraint, one per entry, on the JVM (float64).
 *
 * <p>Updated after each dual step by the schedule's {@link PenaltyUpdater} for the observed
 * entries only; saved and restored by checkpoints.
 */
public final class PenaltyCoefficient {

    private final PenaltySchedule schedule;
    private final double[] values;

    /**
     * Creates coefficients at the schedule's initial value.
     *
     * @param schedule the schedule
     * @param size the number of constraint entries
     */
    public PenaltyCoefficient(PenaltySchedule schedule, int size) {
        this.schedule = schedule;
        this.values = new double[size];
        Arrays.fill(values, schedule.initialValue());
    }

    /**
     * Returns the coefficients at the given indices.
     *
     * @param indices the observed indices
     * @return {@code c[indices]}
     */
    public double[] values(int[] indices) {
        double[] out = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = values[indices[j]];
        }
        return out;
    }

    /**
     * Returns a copy of all coefficients.
     *
     * @return the values
     */
    public double[] values() {
        return values.clone();
    }

    /**
     * Applies the updater to the observed entries.
     *
     * @param indices the observed indices
     * @param strictViolation their strict violations
     * @param type the constraint type
     */
    public void update(int[] indices, double[] strictViolation, ConstraintType type) {
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double c = schedule.updater().update(values[i], strictViolation[j], type);
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalStateException(
                        "penalty updater produced an invalid coefficient " + c + " (must be > 0)");
            }
            values[i] = c;
        }
    }

    /**
     * Overwrites all coefficients (checkpoint restore).
     *
     * @param newValues the values, one per entry, each {@code > 0}
     */
    public void load(double[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException(
                    "expected " + values.length + " penalty coefficients, got " + newValues.length);
        }
        for (double v : newValues) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("penalty coefficients must be > 0, got " + v);
            }
        }
        System.arraycopy(newValues, 0, values, 0, values.length);
    }
}
