package io.github.lagrange4j.training;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;

/**
 * Builds {@link RunSettings} by name instead of by position: start from a preset
 * ({@link RunSettings#builder()} is the quick preset, {@link RunSettings#toBuilder()} any settings), change
 * what differs, and {@link #build()} validates the whole.
 *
 * <pre>{@code
 * RunSettings settings = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED).toBuilder()
 *         .dualMethod(DualMethod.of(DualMethod.Kind.NUPI))
 *         .epochs(20)
 *         .build();
 * }</pre>
 */
public final class RunSettingsBuilder {

    private ModelKind model;
    private Approach approach;
    private ConstraintScope scope;
    private double[] epsilons;
    private double penaltyLambda;
    private PenaltyForm penaltyForm;
    private double primalLearningRate;
    private double gateLearningRate;
    private double dualLearningRate;
    private boolean dualRestarts;
    private DualMethod dualMethod;
    private UpdateScheme scheme;
    private int batchSize;
    private int epochs;
    private long seed;
    private int trainSubset;
    private int testSubset;
    private String normalization;
    private String dataset;
    private boolean rescaleWeights;
    private int checkpointEvery;
    private int finetuneEpochs;
    private int validationSize;
    private String lrSchedule;
    private double budgetMargin;
    private double finetuneWeightDecay;
    private Double finetuneGateNoise;
    private int devices;

    RunSettingsBuilder(RunSettings s) {
        model = s.model();
        approach = s.approach();
        scope = s.scope();
        epsilons = s.epsilons();
        penaltyLambda = s.penaltyLambda();
        penaltyForm = s.penaltyForm();
        primalLearningRate = s.primalLearningRate();
        gateLearningRate = s.gateLearningRate();
        dualLearningRate = s.dualLearningRate();
        dualRestarts = s.dualRestarts();
        dualMethod = s.dualMethod();
        scheme = s.scheme();
        batchSize = s.batchSize();
        epochs = s.epochs();
        seed = s.seed();
        trainSubset = s.trainSubset();
        testSubset = s.testSubset();
        normalization = s.normalization();
        dataset = s.dataset();
        rescaleWeights = s.rescaleWeights();
        checkpointEvery = s.checkpointEvery();
        finetuneEpochs = s.finetuneEpochs();
        validationSize = s.validationSize();
        lrSchedule = s.lrSchedule();
        budgetMargin = s.budgetMargin();
        finetuneWeightDecay = s.finetuneWeightDecay();
        finetuneGateNoise = s.finetuneGateNoise();
        devices = s.devices();
    }

    /**
     * Sets the architecture.
     *
     * @param value the architecture
     * @return this builder
     */
    public RunSettingsBuilder model(ModelKind value) {
        model = value;
        return this;
    }

    /**
     * Sets penalized or constrained training.
     *
     * @param value the approach
     * @return this builder
     */
    public RunSettingsBuilder approach(Approach value) {
        approach = value;
        return this;
    }

    /**
     * Sets a model-wise or layer-wise budget.
     *
     * @param value the scope
     * @return this builder
     */
    public RunSettingsBuilder scope(ConstraintScope value) {
        scope = value;
        return this;
    }

    /**
     * Sets the target densities (one model-wise, or one per gated layer).
     *
     * @param values the targets, each in [0, 1]
     * @return this builder
     */
    public RunSettingsBuilder epsilons(double... values) {
        epsilons = values.clone();
        return this;
    }

    /**
     * Sets the penalty weight of a penalized run.
     *
     * @param value λ, {@code ≥ 0}
     * @return this builder
     */
    public RunSettingsBuilder penaltyLambda(double value) {
        penaltyLambda = value;
        return this;
    }

    /**
     * Sets the penalized objective.
     *
     * @param value the form
     * @return this builder
     */
    public RunSettingsBuilder penaltyForm(PenaltyForm value) {
        penaltyForm = value;
        return this;
    }

    /**
     * Sets Adam's learning rate for weights and biases.
     *
     * @param value the rate, {@code > 0}
     * @return this builder
     */
    public RunSettingsBuilder primalLearningRate(double value) {
        primalLearningRate = value;
        return this;
    }

    /**
     * Sets Adam's learning rate for the gates' log α.
     *
     * @param value the rate, {@code > 0}
     * @return this builder
     */
    public RunSettingsBuilder gateLearningRate(double value) {
        gateLearningRate = value;
        return this;
    }

    /**
     * Sets the dual step size η_dual.
     *
     * @param value the step size, {@code > 0}
     * @return this builder
     */
    public RunSettingsBuilder dualLearningRate(double value) {
        dualLearningRate = value;
        return this;
    }

    /**
     * Sets whether a multiplier is reset to 0 when its constraint is strictly satisfied.
     *
     * @param value whether to restart
     * @return this builder
     */
    public RunSettingsBuilder dualRestarts(boolean value) {
        dualRestarts = value;
        return this;
    }

    /**
     * Sets the dual update rule.
     *
     * @param value the rule
     * @return this builder
     */
    public RunSettingsBuilder dualMethod(DualMethod value) {
        dualMethod = value;
        return this;
    }

    /**
     * Sets the update scheme.
     *
     * @param value the scheme
     * @return this builder
     */
    public RunSettingsBuilder scheme(UpdateScheme value) {
        scheme = value;
        return this;
    }

    /**
     * Sets the minibatch size.
     *
     * @param value examples per minibatch, {@code ≥ 1}
     * @return this builder
     */
    public RunSettingsBuilder batchSize(int value) {
        batchSize = value;
        return this;
    }

    /**
     * Sets the number of epochs.
     *
     * @param value epochs, {@code ≥ 1}
     * @return this builder
     */
    public RunSettingsBuilder epochs(int value) {
        epochs = value;
        return this;
    }

    /**
     * Sets the seed of initialisation, shuffling and gate noise.
     *
     * @param value the seed
     * @return this builder
     */
    public RunSettingsBuilder seed(long value) {
        seed = value;
        return this;
    }

    /**
     * Trains on the first N training images.
     *
     * @param value N, or 0 for all
     * @return this builder
     */
    public RunSettingsBuilder trainSubset(int value) {
        trainSubset = value;
        return this;
    }

    /**
     * Evaluates on the first N test images.
     *
     * @param value N, or 0 for all
     * @return this builder
     */
    public RunSettingsBuilder testSubset(int value) {
        testSubset = value;
        return this;
    }

    /**
     * Sets the input scaling.
     *
     * @param value "standardized" or "unit"
     * @return this builder
     */
    public RunSettingsBuilder normalization(String value) {
        normalization = value;
        return this;
    }

    /**
     * Sets the data set.
     *
     * @param value "mnist" or "fashion-mnist"
     * @return this builder
     */
    public RunSettingsBuilder dataset(String value) {
        dataset = value;
        return this;
    }

    /**
     * Sets whether initial gated weights are divided by (1 − d).
     *
     * @param value whether to rescale
     * @return this builder
     */
    public RunSettingsBuilder rescaleWeights(boolean value) {
        rescaleWeights = value;
        return this;
    }

    /**
     * Sets how often a checkpoint is written.
     *
     * @param value every this many epochs, {@code ≥ 1}
     * @return this builder
     */
    public RunSettingsBuilder checkpointEvery(int value) {
        checkpointEvery = value;
        return this;
    }

    /**
     * Sets the epochs of the fine-tuning phase (fixed mask, frozen gates, cosine-decaying learning rate).
     *
     * @param value epochs after the main phase, {@code ≥ 0}
     * @return this builder
     */
    public RunSettingsBuilder finetuneEpochs(int value) {
        finetuneEpochs = value;
        return this;
    }

    /**
     * Holds out the last N training images for validation.
     *
     * @param value N, or 0 for none
     * @return this builder
     */
    public RunSettingsBuilder validationSize(int value) {
        validationSize = value;
        return this;
    }

    /**
     * Sets the learning-rate schedule of the main phase.
     *
     * @param value "constant" or "cosine"
     * @return this builder
     */
    public RunSettingsBuilder lrSchedule(String value) {
        lrSchedule = value;
        return this;
    }

    /**
     * Tightens the constraints: the multipliers enforce density {@code ≤ ε − m}, the mask and certification
     * stay against ε.
     *
     * @param value m, in {@code [0, ε)}
     * @return this builder
     */
    public RunSettingsBuilder budgetMargin(double value) {
        budgetMargin = value;
        return this;
    }

    /**
     * Sets the weight decay of the fine-tuning phase.
     *
     * @param value the coupled L2 coefficient, {@code ≥ 0}
     * @return this builder
     */
    public RunSettingsBuilder finetuneWeightDecay(double value) {
        finetuneWeightDecay = value;
        return this;
    }

    /**
     * Keeps the hard-concrete gate noise on the kept gates during fine-tuning.
     *
     * @param value the kept gates' log α in {@code [−4.6, 4.6]} (smaller = noisier), or null for
     *     deterministic gates
     * @return this builder
     */
    public RunSettingsBuilder finetuneGateNoise(Double value) {
        finetuneGateNoise = value;
        return this;
    }

    /**
     * Sets the number of devices each minibatch is split over ({@link DataParallel}).
     *
     * @param value {@code ≥ 1} and at most the batch size
     * @return this builder
     */
    public RunSettingsBuilder devices(int value) {
        devices = value;
        return this;
    }

    /**
     * Validates and builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the option whose value is invalid
     */
    public RunSettings build() {
        return new RunSettings(model, approach, scope, epsilons, penaltyLambda, penaltyForm, primalLearningRate,
                gateLearningRate, dualLearningRate, dualRestarts, dualMethod, scheme, batchSize, epochs, seed,
                trainSubset, testSubset, normalization, dataset, rescaleWeights, checkpointEvery, finetuneEpochs,
                validationSize, lrSchedule, budgetMargin, finetuneWeightDecay, finetuneGateNoise,
                devices);
    }
}
