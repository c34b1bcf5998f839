package io.github.lagrange4j.constrained.formulation;

import java.util.Objects;

/**
 * The initial value of a formulation's penalty coefficient {@code c} and how it grows.
 *
 * @param initialValue the initial {@code c}, strictly positive and finite (penalty formulations
 *     divide by it or multiply by it; 0 would make the penalty vanish or produce NaN)
 * @param updater how {@code c} changes after each dual step ({@link PenaltyUpdater#constant()}
 *     for none)
 */
public record PenaltySchedule(double initialValue, PenaltyUpdater updater) {

    /** Validates the arguments. */
    public PenaltySchedule {
        if (!(initialValue > 0) || Double.isInfinite(initialValue)) {
            throw new IllegalArgumentException(
                    "penaltyCoefficient must be finite and > 0, got " + initialValue);
        }
        Objects.requireNonNull(updater, "penaltyUpdater must not be null");
    }
}
