package io.github.lagrange4j.constrained.relaxation;

import java.util.Arrays;

/**
 * The learned slack {@code u >= 0} of one relaxed constraint, one value per entry, on the JVM
 * (float64), starting at 0; updated by {@link #descend} and saved by checkpoints.
 *
 * <p>Not thread-safe: one optimizer updates it, once per dual step.
 */
public final class Slack {

    private final Relaxation relaxation;
    private final double[] values;

    /**
     * Creates a zero slack.
     *
     * @param relaxation the settings
     * @param size the number of entries, {@code >= 1}
     */
    public Slack(Relaxation relaxation, int size) {
        if (relaxation == null) {
            throw new IllegalArgumentException("relaxation must not be null");
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        this.relaxation = relaxation;
        this.values = new double[size];
    }

    /**
     * Returns the settings.
     *
     * @return the relaxation
     */
    public Relaxation relaxation() {
        return relaxation;
    }

    /**
     * Returns a copy of all slack values (the achieved relaxation of each entry).
     *
     * @return {@code u}
     */
    public double[] values() {
        return values.clone();
    }

    /**
     * Returns one slack value.
     *
     * @param index the entry
     * @return {@code u[index]}
     */
    public double value(int index) {
        return values[index];
    }

    /**
     * Subtracts the slack from the observed violations: {@code g_j - u[indices[j]]}.
     *
     * @param indices the observed entries
     * @param violation their violations
     * @return the relaxed violations (a new array)
     */
    public double[] relax(int[] indices, double[] violation) {
        double[] out = new double[violation.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = violation[j] - values[indices[j]];
        }
        return out;
    }

    /**
     * One projected descent step on {@code (alpha/2) u^2 - lambda u} for the observed entries:
     * {@code u_i <- max(0, u_i - eta_u (alpha u_i - lambda_i))}.
     *
     * @param indices the observed entries
     * @param lambda their multipliers at the start of the step
     */
    public void descend(int[] indices, double[] lambda) {
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double u = values[i] - relaxation.learningRate() * (relaxation.cost() * values[i] - lambda[j]);
            if (!Double.isFinite(u)) {
                throw new IllegalStateException("slack " + i + " became non-finite (" + u + ")");
            }
            values[i] = Math.max(0, u);
        }
    }

    /**
     * Overwrites all values (checkpoint restore).
     *
     * @param newValues exactly {@code size} finite values {@code >= 0}
     */
    public void load(double[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " slack values, got " + newValues.length);
        }
        for (double v : newValues) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("slack values must be finite and >= 0, got " + v);
            }
        }
        System.arraycopy(newValues, 0, values, 0, values.length);
    }

    @Override
    public String toString() {
        return "Slack" + Arrays.toString(values);
    }
}
