package io.github.lagrange4j.examples;

import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.DatasetKind;
import io.github.lagrange4j.training.ObjectiveSettings;
import io.github.lagrange4j.training.PenaltyForm;
import io.github.lagrange4j.training.RunSettings;

/** Builds the driver's {@link RunSettings} of an example's gated-MLP run from its options. */
final class Settings {

    private Settings() {}

    /**
     * Returns the settings of a model-wise constrained run, {@code density ≤ ε}.
     *
     * @param o the options
     * @param epsilon the target density
     * @param dataset "mnist" or "fashion-mnist"
     * @return the settings
     */
    static RunSettings constrained(ExampleOptions o, double epsilon, String dataset) {
        return of(o, Approach.CONSTRAINED, new double[] {epsilon}, 0, dataset);
    }

    /**
     * Returns the settings of a run penalized with the Louizos L0 penalty.
     *
     * @param o the options
     * @param lambda λ (per expected active parameter, divided by the training set size)
     * @return the settings
     */
    static RunSettings penalized(ExampleOptions o, double lambda) {
        return of(o, Approach.PENALIZED, new double[0], lambda, "mnist");
    }

    private static RunSettings of(ExampleOptions o, Approach approach, double[] epsilons, double lambda,
            String dataset) {
        RunSettings quick = RunSettings.quick();
        return new RunSettings(quick.model(),
                new ObjectiveSettings(approach, ConstraintScope.MODEL, epsilons, 0, lambda, PenaltyForm.LOUIZOS),
                quick.optimization().withPrimalLearningRate(o.lr).withGateLearningRate(o.gateLr)
                        .withDualLearningRate(o.dualLr).withBatchSize(o.batchSize),
                quick.data().withDataset(DatasetKind.of(dataset)).withTrainSubset(o.trainSubset)
                        .withTestSubset(o.testSubset),
                quick.schedule().withEpochs(o.epochs), o.seed);
    }
}
