package io.github.lagrange4j.training;

import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.NuPI;
import java.util.Locale;
import java.util.Objects;

/**
 * How a constrained run updates its multipliers λ, given the dual step size η of {@link RunSettings}.
 *
 * <ul>
 *   <li>{@link Kind#SGD}: gradient ascent {@code λ ← λ + η (g − ε)} (the NeurIPS 2022 code, the paper
 *       preset);
 *   <li>{@link Kind#ADAM}: Adam on the ascent direction (Kingma &amp; Ba, 2015; β₁ = 0.9, β₂ = 0.999), whose
 *       steps have size ≈ η whatever the size of the violation;
 *   <li>{@link Kind#NUPI}: the νPI controller (Sohrabi et al., ICML 2024) with integral gain 1,
 *       {@code ξ_t = ν ξ_{t−1} + (1 − ν) e_t; λ ← λ + η (e_t + K_P (ξ_t − ξ_{t−1}))}; {@code K_P = 0} is
 *       gradient ascent.
 * </ul>
 *
 * @param kind the update rule
 * @param kP the proportional gain K_P of {@link Kind#NUPI}, {@code ≥ 0} (0 for the other kinds)
 * @param nu the EMA coefficient ν of {@link Kind#NUPI}, in [0, 1) (0 for the other kinds)
 */
public record DualMethod(Kind kind, double kP, double nu) {

    /** The dual update rules a run can use. */
    public enum Kind {
        /** Gradient ascent. */
        SGD,
        /** Adam ascent. */
        ADAM,
        /** The νPI controller. */
        NUPI
    }

    /** Plain gradient ascent, the paper's dual optimizer. */
    public static final DualMethod SGD = new DualMethod(Kind.SGD, 0, 0);

    /**
     * Validates the gains; messages name the setting ({@code optimization.dualMethod.kP}, ...).
     *
     * @throws IllegalArgumentException if {@code kP} or {@code nu} is out of range, or set for a kind
     *     that does not use it
     */
    public DualMethod {
        Objects.requireNonNull(kind, "optimization.dualMethod.kind");
        if (!(kP >= 0) || Double.isInfinite(kP)) {
            throw new IllegalArgumentException("optimization.dualMethod.kP must be finite and >= 0, got " + kP);
        }
        if (!(nu >= 0 && nu < 1)) {
            throw new IllegalArgumentException("optimization.dualMethod.nu must be in [0, 1), got " + nu);
        }
        if (kind != Kind.NUPI && (kP != 0 || nu != 0)) {
            throw new IllegalArgumentException(
                    "optimization.dualMethod.kP and optimization.dualMethod.nu apply to optimization.dualMethod.kind"
                    + " NUPI only, not " + kind);
        }
    }

    /**
     * The method of a kind with its default gains: for {@link Kind#NUPI}, {@code K_P = 1, ν = 0}
     * (optimistic gradient ascent).
     *
     * @param kind the update rule
     * @return the method
     */
    public static DualMethod of(Kind kind) {
        return kind == Kind.NUPI ? new DualMethod(kind, 1, 0) : new DualMethod(kind, 0, 0);
    }

    /**
     * Builds the dual optimizer of {@code io.github.lagrange4j.constrained} for this method.
     *
     * @param learningRate the dual step size η, {@code > 0}
     * @return the optimizer
     */
    public DualOptimizer optimizer(double learningRate) {
        return switch (kind) {
            case SGD -> DualSgd.of(learningRate);
            case ADAM -> DualAdam.of(learningRate);
            case NUPI -> new NuPI(learningRate, kP, 1, nu);
        };
    }

    /**
     * A short label, e.g. "SGD" or "NUPI(kP=1.0, nu=0.0)".
     *
     * @return the label
     */
    public String label() {
        return kind == Kind.NUPI ? String.format(Locale.ROOT, "NUPI(kP=%s, nu=%s)", kP, nu) : kind.name();
    }
}
