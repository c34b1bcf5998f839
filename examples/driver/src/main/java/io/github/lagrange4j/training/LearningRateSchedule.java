package io.github.lagrange4j.training;

import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * The learning rate of the primal Adam over the steps of a phase.
 *
 * <ul>
 *   <li>{@link #CONSTANT}: {@code η_t = η};
 *   <li>{@link #COSINE}: {@code η_t = η · (1 + cos(π · (t − 1) / T)) / 2} for the 1-based step {@code t} of
 *       {@code T} steps (Loshchilov and Hutter, 2017, without restarts): {@code η} at the first step, close
 *       to 0 at the last.
 * </ul>
 *
 * <p>The rate depends only on the step count the optimizer checkpoints, so a resumed run repeats it exactly.
 * In the main phase the gates' rate is a fixed multiple of the weights' rate and follows the same schedule.
 */
public enum LearningRateSchedule {
    /** The same rate at every step. */
    CONSTANT,
    /** Half a cosine from the base rate down to 0 over the phase. */
    COSINE;

    /**
     * Returns the option value, e.g. {@code "cosine"}.
     *
     * @return the lower-case name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an option value.
     *
     * @param label "constant" or "cosine"
     * @return the schedule
     * @throws IllegalArgumentException naming {@code schedule.lrSchedule} if the value is neither
     */
    public static LearningRateSchedule of(String label) {
        for (LearningRateSchedule s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("schedule.lrSchedule must be 'constant' or 'cosine', got '" + label + "'");
    }

    /**
     * Returns the rate at a step.
     *
     * @param base the rate η at the first step, {@code > 0}
     * @param totalSteps the steps T of the phase, {@code ≥ 1}
     * @param step the 1-based step; past {@code T} the rate stays at its last value
     * @return the rate
     */
    public double rate(double base, long totalSteps, long step) {
        if (this == CONSTANT) {
            return base;
        }
        long t = Math.max(1, Math.min(step, totalSteps));
        return base * 0.5 * (1 + Math.cos(Math.PI * (t - 1) / totalSteps));
    }

    /**
     * Returns a DJL tracker of this schedule (the step count DJL passes is the 1-based update count).
     *
     * @param base the rate η at the first step, {@code > 0}
     * @param totalSteps the steps T of the phase, {@code ≥ 1}
     * @return the tracker
     */
    public Tracker tracker(double base, long totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        return new Tracker() {
            @Override
            public float getNewValue(int numUpdate) {
                return (float) rate(base, totalSteps, numUpdate);
            }
        };
    }
}
