package io.github.lagrange4j.training;

import io.github.lagrange4j.l0.account.LayerAccount;
import io.github.lagrange4j.l0.account.NetworkAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a trained model, as deployed, meets the density budget it was trained under.
 *
 * <p>Training constrains the <em>expected</em> density of the stochastic gates, {@code Σ_g P(z_g ≠ 0)·|g| /
 * Σ_g |g| ≤ ε}, which holds only approximately at the end (the references end slightly above ε). What a
 * user deploys is the compacted model of the deterministic test-time gates; its density is the fraction of
 * the gated layers' parameters (weights and biases) it keeps, {@code keptParameters / totalParameters}
 * (the "params kept after compaction" of Gallego-Posada et al., 2022). One entry per constraint: the whole
 * model for a model-wise budget, each gated layer for a layer-wise one; none for a penalized run. A MAC budget
 * counts multiply-accumulates per example instead, {@code keptMacs / totalMacs} of the compacted model
 * against F, beside the expected MACs over the dense model's.
 *
 * @param entries one per constraint, in the order of the run's ε values
 */
public record BudgetCheck(List<Entry> entries) {

    /** What an entry of a parameter budget counts. */
    public static final String PARAMETERS = "parameters";

    /** What the entry of a MAC budget counts. */
    public static final String MACS = "MACs";

    /**
     * One constraint of the budget.
     *
     * @param scope {@code "model"}, the gated layer's name, or {@code "macs"}
     * @param epsilon the target density ε (or MAC fraction F)
     * @param keptFraction the fraction of parameters (or MACs) the compacted model keeps
     * @param expectedDensity the expected density of the trained gates (for a MAC budget: their expected MACs
     *     over the dense model's)
     * @param counted what the fractions count: {@link #PARAMETERS} or {@link #MACS}
     */
    public record Entry(String scope, double epsilon, double keptFraction, double expectedDensity, String counted) {

        /**
         * An entry of a parameter budget.
         *
         * @param scope {@code "model"}, or the gated layer's name
         * @param epsilon the target density ε
         * @param keptFraction the fraction of parameters the compacted model keeps
         * @param expectedDensity the expected density of the trained gates
         */
        public Entry(String scope, double epsilon, double keptFraction, double expectedDensity) {
            this(scope, epsilon, keptFraction, expectedDensity, PARAMETERS);
        }

        /**
         * Tells whether the deployed model meets this constraint.
         *
         * @return {@code keptFraction ≤ ε}
         */
        public boolean met() {
            return keptFraction <= epsilon;
        }

        /**
         * Describes the entry in one line.
         *
         * @return e.g. {@code model: eps = 0.33, kept 26.98% of the parameters (expected density 0.3424): met}, or
         *     for a MAC budget {@code macs: eps = 0.33, kept 32.95% of the MACs (expected MAC fraction 0.3270): met}
         */
        public String describe() {
            String expected = MACS.equals(counted)
                    ? String.format(Locale.ROOT, "expected MAC fraction %.4f", expectedDensity)
                    : String.format(Locale.ROOT, "expected density %.4f", expectedDensity);
            return String.format(Locale.ROOT, "%s: eps = %s, kept %.2f%% of the %s (%s): %s",
                    scope, epsilon, 100 * keptFraction, counted, expected,
                    met() ? "met" : String.format(Locale.ROOT, "exceeded by %.2f%% points",
                            100 * (keptFraction - epsilon)));
        }
    }

    /** Copies the entries. */
    public BudgetCheck {
        entries = List.copyOf(entries);
    }

    /**
     * Checks a trained model against the budget of its run.
     *
     * @param settings the run's settings (approach, scope, ε or F)
     * @param account the accounting of the trained gated model
     * @return the check; without entries for a penalized run
     * @throws IllegalArgumentException if a layer-wise run's ε count differs from the model's gated layers
     */
    public static BudgetCheck of(RunSettings settings, NetworkAccount account) {
        List<Entry> entries = new ArrayList<>();
        if (settings.objective().approach() != Approach.CONSTRAINED) {
            return new BudgetCheck(entries);
        }
        double[] eps = settings.objective().epsilons();
        if (settings.objective().scope() == ConstraintScope.MODEL) {
            entries.add(new Entry("model", eps[0], account.keptParameterFraction(), account.expectedDensity()));
            return new BudgetCheck(entries);
        }
        if (settings.objective().scope() == ConstraintScope.MACS) {
            entries.add(new Entry("macs", eps[0], (double) account.keptMacs() / account.totalMacs(),
                    account.expectedMacs() / account.totalMacs(), MACS));
            return new BudgetCheck(entries);
        }
        List<LayerAccount> layers = account.layers();
        if (layers.size() != eps.length) {
            throw new IllegalArgumentException("a layer-wise budget needs one eps per gated layer: " + eps.length
                    + " eps for " + layers.size() + " layers");
        }
        for (int k = 0; k < layers.size(); k++) {
            LayerAccount layer = layers.get(k);
            entries.add(new Entry(layer.name(), eps[k],
                    (double) layer.keptParameters() / layer.totalParameters(), layer.expectedDensity()));
        }
        return new BudgetCheck(entries);
    }

    /**
     * Tells whether the deployed model meets every constraint.
     *
     * @return true if every entry is met (also when there is no budget)
     */
    public boolean met() {
        return entries.stream().allMatch(Entry::met);
    }
}
