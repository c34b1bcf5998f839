package io.github.lagrange4j.training;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.Normalization;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything that determines a sparsity training run; written to {@code config.json} next to its results
 * and compared on resume.
 *
 * @param model the architecture
 * @param approach penalized or constrained
 * @param scope model-wise or layer-wise budget (constrained runs)
 * @param epsilons the target densities: one for {@link ConstraintScope#MODEL}, one per gated layer for
 *     {@link ConstraintScope#LAYER}; each in [0, 1]
 * @param penaltyLambda the penalty weight λ of a penalized run (for {@link PenaltyForm#LOUIZOS},
 *     "λ = 0.1/N" in the paper's table means 0.1 here), {@code ≥ 0}
 * @param penaltyForm which penalized objective
 * @param primalLearningRate Adam's learning rate for weights and biases, {@code > 0}
 * @param gateLearningRate Adam's learning rate for the gates' log α, {@code > 0}
 * @param dualLearningRate the dual ascent step size η_dual, {@code > 0}
 * @param dualRestarts whether λ_k is reset to 0 when its constraint is strictly satisfied
 * @param dualMethod the dual update rule (gradient ascent, Adam or νPI) taking steps of size
 *     {@code dualLearningRate}; null (a {@code config.json} written before this option existed) means
 *     {@link DualMethod#SGD}
 * @param scheme the update scheme
 * @param batchSize examples per minibatch, {@code ≥ 1}
 * @param epochs epochs to train, {@code ≥ 1}
 * @param seed the seed of initialisation, shuffling and gate noise
 * @param trainSubset train on this many training images (0 = all 60,000)
 * @param testSubset evaluate on this many test images (0 = all 10,000)
 * @param normalization input scaling: "standardized" (mean 0.1307, std 0.3081) or "unit" ([0, 1])
 * @param dataset "mnist" or "fashion-mnist"
 * @param rescaleWeights whether initial gated weights are divided by (1 − d)
 * @param checkpointEvery write a checkpoint every this many epochs, {@code ≥ 1}
 * @param finetuneEpochs epochs of the fine-tuning phase after the {@code epochs} of the main phase: the
 *     mask is fixed to fill the budget ({@code BudgetMask}), the gates are frozen and the weights trained
 *     with a cosine-decaying learning rate; {@code ≥ 0} (0 = no fine-tuning, also for a {@code config.json}
 *     written before this option existed)
 * @param validationSize the number of training images held out, from the end of the training set, to
 *     select the best epoch on; {@code ≥ 0} (0 = none, also for an older {@code config.json})
 * @param lrSchedule the learning-rate schedule of the main phase, {@link LearningRateSchedule}: "constant"
 *     or "cosine"; null (an older {@code config.json}) means "constant"
 * @param budgetMargin constraint tightening m of a constrained run: the multipliers enforce density
 *     {@code ≤ ε − m}, while the fixed mask and the certification are still against ε; in {@code [0, ε)} for
 *     every ε (0 = none, also for an older {@code config.json})
 * @param finetuneWeightDecay the coupled L2 weight decay of the fine-tuning phase's Adam, {@code ≥ 0}
 * @param finetuneGateNoise the kept gates' log α during fine-tuning if the hard-concrete gate noise is kept
 *     on them (the smaller, the noisier; in {@code [−1.5, 4.6]}); null = deterministic gates (also for an
 *     older {@code config.json})
 * @param devices the number of devices a minibatch is split over (data-parallel training, {@link
 *     DataParallel}): {@code ≥ 1}; null (an older {@code config.json}) means 1
 */
public record RunSettings(
        ModelKind model,
        Approach approach,
        ConstraintScope scope,
        double[] epsilons,
        double penaltyLambda,
        PenaltyForm penaltyForm,
        double primalLearningRate,
        double gateLearningRate,
        double dualLearningRate,
        boolean dualRestarts,
        DualMethod dualMethod,
        UpdateScheme scheme,
        int batchSize,
        int epochs,
        long seed,
        int trainSubset,
        int testSubset,
        String normalization,
        String dataset,
        boolean rescaleWeights,
        int checkpointEvery,
        int finetuneEpochs,
        int validationSize,
        String lrSchedule,
        double budgetMargin,
        double finetuneWeightDecay,
        Double finetuneGateNoise,
        Integer devices) {

    /** The images held out for validation by the presets: the last 5,000 of the training set. */
    public static final int DEFAULT_VALIDATION_SIZE = 5_000;

    /** Validates every component; messages name the option. */
    public RunSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(approach, "approach");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(penaltyForm, "penaltyForm");
        Objects.requireNonNull(scheme, "scheme");
        dualMethod = dualMethod == null ? DualMethod.SGD : dualMethod;
        devices = devices == null ? Integer.valueOf(1) : devices;
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be >= 1, got " + devices);
        }
        lrSchedule = lrSchedule == null ? LearningRateSchedule.CONSTANT.label() : lrSchedule;
        epsilons = epsilons == null ? new double[0] : epsilons.clone();
        if (approach == Approach.CONSTRAINED) {
            int expected = scope == ConstraintScope.MODEL ? 1 : model.gatedLayers();
            if (epsilons.length != expected) {
                throw new IllegalArgumentException("epsilon: a " + scope.name().toLowerCase() + "-wise budget for "
                        + model + " needs " + expected + " target(s), got " + epsilons.length);
            }
        }
        for (double e : epsilons) {
            if (!(e >= 0 && e <= 1)) {
                throw new IllegalArgumentException("epsilon must be in [0, 1], got " + e);
            }
        }
        requirePositive("penalty-lambda", penaltyLambda, true);
        requirePositive("lr", primalLearningRate, false);
        requirePositive("gate-lr", gateLearningRate, false);
        requirePositive("dual-lr", dualLearningRate, false);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch-size must be >= 1, got " + batchSize);
        }
        if (batchSize < devices) {
            throw new IllegalArgumentException("batch-size (" + batchSize + ") must be >= devices (" + devices
                    + "): each device takes at least one example of a minibatch");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (trainSubset < 0 || trainSubset > 60_000) {
            throw new IllegalArgumentException("train-subset must be in [0, 60000] (0 = all), got " + trainSubset);
        }
        if (testSubset < 0 || testSubset > 10_000) {
            throw new IllegalArgumentException("test-subset must be in [0, 10000] (0 = all), got " + testSubset);
        }
        Normalization.fromLabel(normalization);
        if (!"mnist".equals(dataset) && !"fashion-mnist".equals(dataset)) {
            throw new IllegalArgumentException("dataset must be 'mnist' or 'fashion-mnist', got '" + dataset + "'");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint-every must be >= 1, got " + checkpointEvery);
        }
        if (finetuneEpochs < 0) {
            throw new IllegalArgumentException("finetune-epochs must be >= 0, got " + finetuneEpochs);
        }
        if (validationSize < 0 || validationSize >= 60_000) {
            throw new IllegalArgumentException("validation-size must be in [0, 60000) (0 = none), got "
                    + validationSize);
        }
        if (validationSize > 0 && trainSubset + validationSize > 60_000) {
            throw new IllegalArgumentException("validation-size: the " + validationSize + " held-out images and the "
                    + trainSubset + " of train-subset must fit in the 60000 training images");
        }
        LearningRateSchedule.of(lrSchedule);
        for (double e : epsilons) {
            if (!(budgetMargin >= 0 && (budgetMargin < e || budgetMargin == 0))) {
                throw new IllegalArgumentException("budget-margin must be >= 0 and below every epsilon (" + e
                        + "), got " + budgetMargin);
            }
        }
        if (!(budgetMargin >= 0 && budgetMargin < 1)) {
            throw new IllegalArgumentException("budget-margin must be in [0, 1), got " + budgetMargin);
        }
        requirePositive("finetune-weight-decay", finetuneWeightDecay, true);
        if (finetuneGateNoise != null && !(finetuneGateNoise >= GateNoise.MIN_KEPT && finetuneGateNoise <= 4.6)) {
            throw new IllegalArgumentException("finetune-gate-noise must be a log alpha in [-1.5, 4.6], got "
                    + finetuneGateNoise);
        }
    }

    /**
     * Returns how the input pixels are normalised ({@link #normalization()} as the data set's enum).
     *
     * @return {@link Normalization#UNIT_INTERVAL} for "unit", {@link Normalization#MNIST_STANDARDIZED} for
     *     "standardized"
     */
    public Normalization inputNormalization() {
        return Normalization.fromLabel(normalization);
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

    private static void requirePositive(String name, double value, boolean zeroAllowed) {
        boolean ok = Double.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " and finite, got "
                    + value);
        }
    }

    /**
     * The quick preset: a few minutes here. Constrained MLP, model-wise ε = 0.33, 10 epochs of full MNIST,
     * larger gate and dual learning rates than the paper so that the budget bites within the run.
     *
     * @return the settings
     */
    public static RunSettings quick() {
        return new RunSettings(ModelKind.MLP, Approach.CONSTRAINED, ConstraintScope.MODEL, new double[] {0.33},
                0.1, PenaltyForm.LOUIZOS, 1e-3, 2e-2, 3e-2, true, DualMethod.SGD, UpdateScheme.SIMULTANEOUS, 128,
                10, 42, 0, 0, "standardized", "mnist", false, 1, 0, DEFAULT_VALIDATION_SIZE,
                "constant", 0, 0, null, 1);
    }

    /**
     * The paper preset (the MNIST protocol of Gallego-Posada, Ramirez et al., "Controlled Sparsity via
     * Constrained Optimization", NeurIPS 2022, and for penalized runs that of Louizos, Welling and Kingma,
     * "Learning Sparse Neural Networks through L0 Regularization", ICLR 2018): 200 epochs. Constrained runs
     * follow the NeurIPS 2022 code
     * (Adam 7e-4 for weights and gates, dual SGD 1e-4 with restarts, batch 128, standardised input);
     * penalized runs follow Louizos et al. (Adam 1e-3, batch 100, pixels in [0, 1], λ = 0.1/N).
     *
     * @param model the architecture
     * @param approach penalized or constrained
     * @return the settings (ε = 0.33 for the MLP, 0.10 for LeNet)
     */
    public static RunSettings paper(ModelKind model, Approach approach) {
        double epsilon = model == ModelKind.MLP ? 0.33 : 0.10;
        if (approach == Approach.PENALIZED) {
            return new RunSettings(model, approach, ConstraintScope.MODEL, new double[0], 0.1, PenaltyForm.LOUIZOS,
                    1e-3, 1e-3, 1e-4, false, DualMethod.SGD, UpdateScheme.SIMULTANEOUS, 100, 200, 42, 0, 0, "unit",
                    "mnist", false, 1, 0, DEFAULT_VALIDATION_SIZE, "constant", 0, 0, null, 1);
        }
        return new RunSettings(model, approach, ConstraintScope.MODEL, new double[] {epsilon}, 0.1,
                PenaltyForm.LOUIZOS, 7e-4, 7e-4, 1e-4, true, DualMethod.SGD, UpdateScheme.SIMULTANEOUS, 128, 200,
                42, 0, 0, "standardized", "mnist", false, 1, 0, DEFAULT_VALIDATION_SIZE, "constant", 0, 0, null, 1);
    }

    /**
     * The certified preset: the paper preset in 70 epochs whose output model is certified and uses its
     * budget. Constrained runs: gate Adam 7e-3 and dual SGD 1e-2 with restarts, a budget margin of 0.005
     * (for the MLP the expected density is within {@code [ε − 0.01, ε]} from about epoch 12 on), 30 epochs,
     * then 40 epochs fine-tuning the fixed mask with the hard-concrete noise kept on the kept gates at
     * {@code log α = 1.6}. Penalized runs: the paper's settings for 30 epochs and the same fine-tuning (their
     * own mask). Measured for the MLP at ε = 0.33 (README, "The deployed model uses its budget").
     *
     * @param model the architecture
     * @param approach penalized or constrained
     * @return the settings
     */
    public static RunSettings certified(ModelKind model, Approach approach) {
        RunSettingsBuilder b = paper(model, approach).toBuilder().epochs(30).finetuneEpochs(40)
                .finetuneGateNoise(CERTIFIED_GATE_NOISE);
        if (approach == Approach.CONSTRAINED) {
            b.gateLearningRate(7e-3).dualLearningRate(1e-2).budgetMargin(0.005);
        }
        return b.build();
    }

    /** The kept gates' log α of the certified preset's noisy fine-tuning. */
    public static final double CERTIFIED_GATE_NOISE = 1.6;

    /**
     * Returns the number of epochs of the whole run, main phase and fine-tuning.
     *
     * @return {@code epochs + finetuneEpochs}
     */
    public int totalEpochs() {
        return epochs + finetuneEpochs;
    }

    /**
     * Describes the approach as in the paper's table, e.g. "constrained eps = 0.33" or
     * "penalized lambda = 0.1/N".
     *
     * @return the label
     */
    public String approachLabel() {
        if (approach == Approach.PENALIZED) {
            return penaltyForm == PenaltyForm.LOUIZOS ? "penalized lambda = " + penaltyLambda + "/N"
                    : "penalized lambda = " + penaltyLambda + " x density";
        }
        StringBuilder eps = new StringBuilder();
        for (int i = 0; i < epsilons.length; i++) {
            eps.append(i == 0 ? "" : "/").append(epsilons[i]);
        }
        return "constrained " + (scope == ConstraintScope.LAYER ? "layer-wise " : "") + "eps = " + eps;
    }

    /**
     * A builder that starts from the {@linkplain #quick() quick preset}.
     *
     * @return the builder
     */
    public static RunSettingsBuilder builder() {
        return quick().toBuilder();
    }

    /**
     * A builder that starts from these settings, to change a few of them by name.
     *
     * @return the builder
     */
    public RunSettingsBuilder toBuilder() {
        return new RunSettingsBuilder(this);
    }

    @Override
    public double[] epsilons() {
        return epsilons.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSettings r && toString().equals(r.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "RunSettings[model=" + model + ", approach=" + approach + ", scope=" + scope + ", epsilons="
                + Arrays.toString(epsilons) + ", penaltyLambda=" + penaltyLambda + ", penaltyForm=" + penaltyForm
                + ", lr=" + primalLearningRate + ", gateLr=" + gateLearningRate + ", dualLr=" + dualLearningRate
                + ", dualRestarts=" + dualRestarts + ", dual=" + dualMethod.label() + ", scheme=" + scheme
                + ", batchSize=" + batchSize + ", epochs=" + epochs + ", seed=" + seed + ", trainSubset=" + trainSubset + ", testSubset="
                + testSubset + ", normalization=" + normalization + ", dataset=" + dataset + ", rescaleWeights="
                + rescaleWeights + ", checkpointEvery=" + checkpointEvery + ", finetuneEpochs=" + finetuneEpochs
                + ", validationSize=" + validationSize + ", lrSchedule=" + lrSchedule + ", budgetMargin=" + budgetMargin
                + ", finetuneWeightDecay=" + finetuneWeightDecay + ", finetuneGateNoise=" + finetuneGateNoise
                + (devices == 1 ? "" : ", devices=" + devices) + "]";
    }
}
