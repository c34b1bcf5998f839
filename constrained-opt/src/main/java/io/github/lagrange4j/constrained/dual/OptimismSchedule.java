package io.github.lagrange4j.constrained.dual;

/**
 * The optimistic coefficient {@code omega_t} of {@link OptimisticDual} over a multiplier's updates:
 * linear from {@code initial} to {@code last} over {@code rampSteps} updates, then {@code last}.
 *
 * <p>Rule: {@code omega_t = initial + (last - initial) * min(1, t / rampSteps)} for the entry's
 * {@code t}-th update (0-based); {@code omega_t = last} when {@code rampSteps = 0}. A decaying
 * schedule ({@code initial > last}) damps the oscillation of plain gradient ascent early and leaves
 * plain ascent ({@code last = 0}) near the end.
 *
 * @param initial {@code omega_0}, finite and {@code >= 0}
 * @param last the final coefficient, finite and {@code >= 0}
 * @param rampSteps the number of updates of the ramp, {@code >= 0}
 */
public record OptimismSchedule(double initial, double last, long rampSteps) {

    /** Validates the schedule. */
    public OptimismSchedule {
        if (!(initial >= 0) || Double.isInfinite(initial)) {
            throw new IllegalArgumentException("initial optimism must be finite and >= 0, got " + initial);
        }
        if (!(last >= 0) || Double.isInfinite(last)) {
            throw new IllegalArgumentException("last optimism must be finite and >= 0, got " + last);
        }
        if (rampSteps < 0) {
            throw new IllegalArgumentException("rampSteps must be >= 0, got " + rampSteps);
        }
    }

    /**
     * A constant coefficient.
     *
     * @param omega finite and {@code >= 0}
     * @return the schedule
     */
    public static OptimismSchedule constant(double omega) {
        return new OptimismSchedule(omega, omega, 0);
    }

    /**
     * Returns the coefficient of an entry's {@code t}-th update.
     *
     * @param t the number of updates the entry has received before this one, {@code >= 0}
     * @return {@code omega_t}
     */
    public double coefficient(long t) {
        if (rampSteps == 0 || t >= rampSteps) {
            return last;
        }
        return initial + (last - initial) * ((double) t / rampSteps);
    }
}
