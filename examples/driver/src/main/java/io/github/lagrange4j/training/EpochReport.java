package io.github.lagrange4j.training;

import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.LayerAccount;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the metrics of an epoch from the network's accounting after it: densities, pruned architecture,
 * kept counts, multipliers and violations ({@code density_k − ε_k}, on the expected density; for a MAC budget
 * {@code E[MACs] / MACs(dense) − F}), and whether the deployed model meets the budget ({@link BudgetCheck}).
 * Used by both phases.
 */
final class EpochReport {

    private EpochReport() {}

    /**
     * Takes the accounting and assembles the record.
     *
     * @param settings the run's settings
     * @param network the gated network after the epoch
     * @param epoch the 1-based epoch
     * @param phase {@link EpochMetrics#TRAIN} or {@link EpochMetrics#FINETUNE}
     * @param trainLoss the mean training objective
     * @param testError the test error
     * @param validationError the validation error, NaN without a validation split
     * @param multipliers the multipliers by constraint name (empty for a penalized run)
     * @param seconds the epoch's wall-clock time
     * @return the metrics
     */
    static EpochMetrics of(RunSettings settings, GatedNetwork network, int epoch, String phase, double trainLoss,
            double testError, double validationError, Map<String, double[]> multipliers, double seconds) {
        NetworkAccount account = NetworkAccount.of(network);
        double keptWeighted = 0;
        double sparsifiable = 0;
        for (LayerAccount layer : account.layers()) {
            double groupSize = layer.sparsifiableParameters() / (double) layer.gates();
            keptWeighted += layer.keptGates() * groupSize;
            sparsifiable += layer.sparsifiableParameters();
        }
        Map<String, Double> lambdas = new LinkedHashMap<>();
        Map<String, Double> violations = new LinkedHashMap<>();
        Map<String, Double> targets = new LinkedHashMap<>();
        if (settings.objective().approach() == Approach.CONSTRAINED) {
            double[] eps = settings.objective().constraintEpsilons(); // the targets the multipliers enforce
            double[] densities = account.layerDensities();
            // a MAC budget's constrained quantity: the expected MACs over the dense model's
            double single = settings.objective().scope() == ConstraintScope.MACS
                    ? account.expectedMacs() / account.totalMacs() : account.expectedDensity();
            multipliers.forEach((name, values) -> {
                for (int i = 0; i < values.length; i++) {
                    String key = values.length == 1 ? name : name + "[" + i + "]";
                    lambdas.put(key, values[i]);
                    double density = values.length == 1 ? single : densities[i];
                    violations.put(key, density - eps[i]);
                    targets.put(key, eps[i]);
                }
            });
        }
        boolean met = BudgetCheck.of(settings, account).met();
        return new EpochMetrics(epoch, trainLoss, testError, account.expectedDensity(), keptWeighted / sparsifiable,
                account.prunedArchitecture(), account.keptParameters(), account.keptMacs(), lambdas, violations,
                targets, seconds, phase, validationError, met);
    }
}
