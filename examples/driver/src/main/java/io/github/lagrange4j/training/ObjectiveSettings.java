package io.github.lagrange4j.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * The problem a run solves over the gated network: a penalized or a constrained objective.
 *
 * <ul>
 *   <li>{@link Approach#PENALIZED} (Louizos, Welling and Kingma, ICLR 2018): {@code min_θ,α E[L(θ ⊙ z)] + λ ·
 *       R(α)}, with {@code R} chosen by {@link PenaltyForm} (the expected number of active parameters over
 *       the training set size N, or the expected density);
 *   <li>{@link Approach#CONSTRAINED} (Gallego-Posada, Ramirez et al., "Controlled Sparsity via Constrained
 *       Optimization", NeurIPS 2022): {@code min_θ,α E[L(θ ⊙ z)]} subject to {@code g_k(α) ≤ ε_k − m}, where
 *       {@code g_k} is the expected density of the whole model ({@link ConstraintScope#MODEL}, one ε), of
 *       each gated layer ({@link ConstraintScope#LAYER}, one ε per layer) or the expected MACs per example
 *       over the dense model's ({@link ConstraintScope#MACS}, one fraction F in {@code (0, 1]}), and m the
 *       budget margin.
 * </ul>
 *
 * <p>These settings belong together because they define the Lagrangian {@code L + Σ_k λ_k (g_k − ε_k + m)}
 * (or the penalized loss) and nothing about how it is minimised: changing any of them changes the solution
 * sought, not only the path to it. A constrained run stores the penalty settings too (unused), so that
 * switching the approach keeps them.
 *
 * @param approach penalized or constrained
 * @param scope model-wise, layer-wise or MAC budget (constrained runs)
 * @param epsilons the target densities: one for {@link ConstraintScope#MODEL}, one per gated layer for
 *     {@link ConstraintScope#LAYER} (checked against the architecture by {@link RunSettings}); each in [0, 1];
 *     for {@link ConstraintScope#MACS} exactly one fraction of the dense model's MACs, in {@code (0, 1]}
 *     (checked here for a constrained objective); null (never written) reads as none
 * @param budgetMargin the constraint tightening m: the multipliers enforce density {@code ≤ ε − m}, while the
 *     fixed mask and the certification are still against ε; in {@code [0, ε)} for every ε (0 = none, also for
 *     a {@code config.json} written before this setting existed)
 * @param penaltyLambda the penalty weight λ of a penalized run (for {@link PenaltyForm#LOUIZOS}, "λ = 0.1/N"
 *     in the paper's table means 0.1 here), {@code ≥ 0}
 * @param penaltyForm which penalized objective
 */
public record ObjectiveSettings(Approach approach, ConstraintScope scope, double[] epsilons, double budgetMargin,
        double penaltyLambda, PenaltyForm penaltyForm) {

    /**
     * Validates every component; messages name the setting, e.g. {@code objective.epsilons}.
     *
     * @throws IllegalArgumentException naming the setting whose value is out of range
     */
    public ObjectiveSettings {
        Objects.requireNonNull(approach, "objective.approach");
        Objects.requireNonNull(scope, "objective.scope");
        Objects.requireNonNull(penaltyForm, "objective.penaltyForm");
        epsilons = epsilons == null ? new double[0] : epsilons.clone();
        if (approach == Approach.CONSTRAINED && scope == ConstraintScope.MACS) {
            if (epsilons.length != 1) {
                throw new IllegalArgumentException("objective.epsilons: a MAC budget takes one fraction of the dense"
                        + " model's MACs, got " + epsilons.length);
            }
            if (!(epsilons[0] > 0 && epsilons[0] <= 1)) {
                throw new IllegalArgumentException("objective.epsilons: a MAC budget must be in (0, 1], got "
                        + epsilons[0]);
            }
        }
        for (double e : epsilons) {
            if (!(e >= 0 && e <= 1)) {
                throw new IllegalArgumentException("objective.epsilons must be in [0, 1], got " + e);
            }
        }
        SettingChecks.requirePositive("objective.penaltyLambda", penaltyLambda, true);
        for (double e : epsilons) {
            if (!(budgetMargin >= 0 && (budgetMargin < e || budgetMargin == 0))) {
                throw new IllegalArgumentException("objective.budgetMargin must be >= 0 and below every epsilon ("
                        + e + "), got " + budgetMargin);
            }
        }
        if (!(budgetMargin >= 0 && budgetMargin < 1)) {
            throw new IllegalArgumentException("objective.budgetMargin must be in [0, 1), got " + budgetMargin);
        }
    }

    /**
     * A constrained objective without margin (penalty settings at the presets' λ = 0.1, {@link
     * PenaltyForm#LOUIZOS}, unused).
     *
     * @param scope model-wise (one ε), layer-wise (one ε per gated layer) or MACs (one fraction F)
     * @param epsilons the target densities (or F)
     * @return the objective
     */
    public static ObjectiveSettings constrained(ConstraintScope scope, double... epsilons) {
        return new ObjectiveSettings(Approach.CONSTRAINED, scope, epsilons, 0, 0.1, PenaltyForm.LOUIZOS);
    }

    /**
     * A penalized objective.
     *
     * @param penaltyLambda λ, {@code ≥ 0}
     * @param penaltyForm the penalty
     * @return the objective
     */
    public static ObjectiveSettings penalized(double penaltyLambda, PenaltyForm penaltyForm) {
        return new ObjectiveSettings(Approach.PENALIZED, ConstraintScope.MODEL, new double[0], 0, penaltyLambda,
                penaltyForm);
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    /**
     * Returns the targets the multipliers enforce: each ε minus {@link #budgetMargin()}.
     *
     * @return the tightened targets, one per ε
     */
    public double[] constraintEpsilons() {
        double[] out = epsilons.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= budgetMargin;
        }
        return out;
    }

    /**
     * Describes the objective as in the paper's table, e.g. "constrained eps = 0.33", "constrained MACs eps =
     * 0.33" or "penalized lambda = 0.1/N".
     *
     * @return the label
     */
    public String label() {
        if (approach == Approach.PENALIZED) {
            return penaltyForm == PenaltyForm.LOUIZOS ? "penalized lambda = " + penaltyLambda + "/N"
                    : "penalized lambda = " + penaltyLambda + " x density";
        }
        StringBuilder eps = new StringBuilder();
        for (int i = 0; i < epsilons.length; i++) {
            eps.append(i == 0 ? "" : "/").append(epsilons[i]);
        }
        String kind = switch (scope) {
            case MODEL -> "";
            case LAYER -> "layer-wise ";
            case MACS -> "MACs ";
        };
        return "constrained " + kind + "eps = " + eps;
    }

    /**
     * Returns this objective with another approach.
     *
     * @param value penalized or constrained
     * @return the new settings
     */
    public ObjectiveSettings withApproach(Approach value) {
        return new ObjectiveSettings(value, scope, epsilons, budgetMargin, penaltyLambda, penaltyForm);
    }

    /**
     * Returns this objective with another budget scope.
     *
     * @param value model-wise, layer-wise or MACs
     * @return the new settings
     */
    public ObjectiveSettings withScope(ConstraintScope value) {
        return new ObjectiveSettings(approach, value, epsilons, budgetMargin, penaltyLambda, penaltyForm);
    }

    /**
     * Returns this objective with other target densities.
     *
     * @param values the targets, each in [0, 1]
     * @return the new settings
     */
    public ObjectiveSettings withEpsilons(double... values) {
        return new ObjectiveSettings(approach, scope, values, budgetMargin, penaltyLambda, penaltyForm);
    }

    /**
     * Returns this objective with another budget margin.
     *
     * @param value m, in {@code [0, ε)}
     * @return the new settings
     */
    public ObjectiveSettings withBudgetMargin(double value) {
        return new ObjectiveSettings(approach, scope, epsilons, value, penaltyLambda, penaltyForm);
    }

    /**
     * Returns this objective with another penalty weight.
     *
     * @param value λ, {@code ≥ 0}
     * @return the new settings
     */
    public ObjectiveSettings withPenaltyLambda(double value) {
        return new ObjectiveSettings(approach, scope, epsilons, budgetMargin, value, penaltyForm);
    }

    /**
     * Returns this objective with another penalty.
     *
     * @param value the penalty form
     * @return the new settings
     */
    public ObjectiveSettings withPenaltyForm(PenaltyForm value) {
        return new ObjectiveSettings(approach, scope, epsilons, budgetMargin, penaltyLambda, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectiveSettings s && approach == s.approach && scope == s.scope
                && Arrays.equals(epsilons, s.epsilons) && Double.compare(budgetMargin, s.budgetMargin) == 0
                && Double.compare(penaltyLambda, s.penaltyLambda) == 0 && penaltyForm == s.penaltyForm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(approach, scope, Arrays.hashCode(epsilons), budgetMargin, penaltyLambda, penaltyForm);
    }

    @Override
    public String toString() {
        return "ObjectiveSettings[approach=" + approach + ", scope=" + scope + ", epsilons=" + Arrays.toString(epsilons)
                + ", budgetMargin=" + budgetMargin + ", penaltyLambda=" + penaltyLambda + ", penaltyForm="
                + penaltyForm + "]";
    }
}
