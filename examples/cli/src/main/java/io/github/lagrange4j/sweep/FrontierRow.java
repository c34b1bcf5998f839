package io.github.lagrange4j.sweep;

/**
 * One run's line of a sweep's report, read from its directory (finished or not).
 *
 * @param id the run's name
 * @param kind constrained, penalized or dense
 * @param value ε or λ, NaN for dense
 * @param seed the seed
 * @param status complete, partial or pending
 * @param epochsDone epochs with metrics
 * @param totalEpochs epochs in all
 * @param testError the test error of the last epoch done (a fraction), NaN if none
 * @param keptFraction the deployed model's kept fraction of the parameters at the last epoch done (after
 *     compaction), NaN if none; 1 for dense
 * @param expectedDensity the gates' expected density at the last epoch done, NaN if none
 * @param budgetMet whether the deployed model met the budget at the last epoch done
 */
public record FrontierRow(String id, RunKind kind, double value, long seed, RunProgress.Status status, int epochsDone,
        int totalEpochs, double testError, double keptFraction, double expectedDensity, boolean budgetMet) {

    /**
     * Returns whether the run is complete.
     *
     * @return true if complete
     */
    public boolean complete() {
        return status == RunProgress.Status.COMPLETE;
    }
}
