package io.github.lagrange4j.cli;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.DataSettings;
import io.github.lagrange4j.training.DatasetKind;
import io.github.lagrange4j.training.DualMethod;
import io.github.lagrange4j.training.LearningRateSchedule;
import io.github.lagrange4j.training.ObjectiveSettings;
import io.github.lagrange4j.training.OptimizationSettings;
import io.github.lagrange4j.training.PenaltyForm;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.ScheduleSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of a sparsity run, applied on top of a preset: every option left out keeps the preset's
 * value. Mix it in with {@code @Mixin SparsityOptions options;}.
 */
public final class SparsityOptions {

    /** The presets. */
    public enum Preset {
        /** A few minutes here: 10 epochs, gate and dual learning rates large enough for the budget to bite. */
        quick,
        /** The 200-epoch MNIST protocol of Gallego-Posada et al. (NeurIPS 2022) and Louizos et al. (ICLR 2018). */
        paper,
        /** 30 + 40 epochs: budget reached early, fixed mask filling it, noisy fine-tuning ({@code RunSettings#certified}). */
        certified
    }

    @Option(names = "--preset", defaultValue = "quick", paramLabel = "NAME",
            description = "Preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Preset preset = Preset.quick;

    @Option(names = "--model", paramLabel = "MODEL", description = "Architecture: ${COMPLETION-CANDIDATES} (default: MLP).")
    ModelKind model;

    @Option(names = "--approach", paramLabel = "A",
            description = "${COMPLETION-CANDIDATES} (default: CONSTRAINED).")
    Approach approach;

    @Option(names = "--scope", paramLabel = "S",
            description = "Budget per MODEL (one epsilon: kept fraction of the parameters), per LAYER (one epsilon"
                    + " per gated layer) or on MACS (one epsilon F in (0, 1]: expected multiply-accumulates per image"
                    + " <= F of the dense model's; the fixed mask and the certificate count the compacted model's"
                    + " MACs).")
    ConstraintScope scope;

    @Option(names = "--epsilon", split = ",", paramLabel = "EPS",
            description = "Target density(ies) in [0, 1], comma-separated for --scope LAYER; the MAC fraction for"
                    + " --scope MACS "
                    + "(default: 0.33 for the MLP, 0.10 for LeNet).")
    double[] epsilons;

    @Option(names = "--penalty-lambda", paramLabel = "L",
            description = "Penalty weight of a PENALIZED run (0.1 means the paper's 0.1/N; default 0.1).")
    Double penaltyLambda;

    @Option(names = "--penalty-form", paramLabel = "F", description = "${COMPLETION-CANDIDATES} (default: LOUIZOS).")
    PenaltyForm penaltyForm;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate of weights and biases.")
    Double lr;

    @Option(names = "--gate-lr", paramLabel = "LR", description = "Adam learning rate of the gates' log alpha.")
    Double gateLr;

    @Option(names = "--dual-lr", paramLabel = "LR", description = "Dual ascent step size.")
    Double dualLr;

    @Option(names = "--dual-restarts", negatable = true, paramLabel = "B",
            description = "Reset a multiplier to 0 when its constraint is strictly satisfied.")
    Boolean dualRestarts;

    @Option(names = "--dual-optimizer", paramLabel = "D",
            description = "Dual update rule: ${COMPLETION-CANDIDATES} (default: SGD, gradient ascent).")
    DualMethod.Kind dualOptimizer;

    @Option(names = "--nupi-kp", paramLabel = "K",
            description = "Proportional gain K_P of --dual-optimizer NUPI (default 1; 0 is gradient ascent).")
    Double nupiKp;

    @Option(names = "--nupi-nu", paramLabel = "NU",
            description = "EMA coefficient nu in [0, 1) of --dual-optimizer NUPI (default 0).")
    Double nupiNu;

    @Option(names = "--scheme", paramLabel = "S", description = "Update scheme: ${COMPLETION-CANDIDATES}.")
    UpdateScheme scheme;

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size.")
    Integer batchSize;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of initialisation, shuffling and gate noise.")
    Long seed;

    @Option(names = "--train-subset", paramLabel = "N", description = "Use the first N training images (0 = all).")
    Integer trainSubset;

    @Option(names = "--test-subset", paramLabel = "N", description = "Use the first N test images (0 = all).")
    Integer testSubset;

    @Option(names = "--normalization", paramLabel = "N", description = "standardized or unit.")
    String normalization;

    @Option(names = "--dataset", paramLabel = "D", description = "mnist or fashion-mnist (default: mnist).")
    String dataset;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Checkpoint every N epochs (default 1).")
    Integer checkpointEvery;

    @Option(names = "--finetune-epochs", paramLabel = "N",
            description = "After --epochs, fix the mask to fill the budget (true kept count of the compacted model),"
                    + " freeze the gates and fine-tune the weights for N epochs, learning rate cosine from --lr to 0"
                    + " (default 0: none).")
    Integer finetuneEpochs;

    @Option(names = "--validation-size", paramLabel = "N",
            description = "Hold out the last N training images to choose the best epoch on (default 5000; 0 = none).")
    Integer validationSize;

    @Option(names = "--lr-schedule", paramLabel = "S",
            description = "Learning rate of the main phase: constant or cosine (to 0 over --epochs; default constant).")
    String lrSchedule;

    @Option(names = "--budget-margin", paramLabel = "M",
            description = "Constraint tightening: the multipliers enforce density <= eps - M; the fixed mask and the"
                    + " certification stay against eps (default 0).")
    Double budgetMargin;

    @Option(names = "--finetune-weight-decay", paramLabel = "WD",
            description = "L2 weight decay of the fine-tuning phase's Adam (default 0).")
    Double finetuneWeightDecay;

    @Option(names = "--finetune-gate-noise", paramLabel = "LOG_ALPHA",
            description = "Keep the hard-concrete gate noise on the kept gates while fine-tuning, their log alpha"
                    + " set to LOG_ALPHA in [-1.5, 4.6] (smaller = noisier; default: deterministic gates).")
    Double finetuneGateNoise;

    @Option(names = "--devices", paramLabel = "N",
            description = "Data-parallel training on N devices (default 1): DJL's multi-device training with the"
                    + " GPUs 0..N-1 that Engine.getDevices(N) returns (needs --device gpu and N GPUs); each minibatch"
                    + " is split over them and the constraints and the dual step see the whole minibatch.")
    Integer devices;

    /**
     * Builds the settings: the preset for the chosen model and approach, overridden by the given options.
     *
     * @param commandLine the command line, for error messages
     * @return the validated settings
     * @throws CommandLine.ParameterException naming the option whose value is invalid
     */
    public RunSettings settings(CommandLine commandLine) {
        ModelKind m = model != null ? model : ModelKind.MLP;
        Approach a = approach != null ? approach : Approach.CONSTRAINED;
        RunSettings base = switch (preset) {
            case paper -> RunSettings.paper(m, a);
            case certified -> RunSettings.certified(m, a);
            case quick -> RunSettings.quick();
        };
        double e = m == ModelKind.MLP ? 0.33 : 0.10;
        ConstraintScope s = scope != null ? scope : base.objective().scope();
        double[] defaultEpsilons = s == ConstraintScope.LAYER ? repeat(e, m.gatedLayers()) : new double[] {e};
        return over(commandLine, base, m, a, defaultEpsilons);
    }

    /**
     * Builds the settings of a resumed run: the stored settings, overridden only by the options given.
     *
     * @param commandLine the command line, for error messages
     * @param stored the settings the run was started with
     * @return the validated settings
     * @throws CommandLine.ParameterException naming the option whose value is invalid
     */
    public RunSettings settingsOver(CommandLine commandLine, RunSettings stored) {
        return over(commandLine, stored, model != null ? model : stored.model().architecture(),
                approach != null ? approach : stored.objective().approach(), stored.objective().epsilons());
    }

    private RunSettings over(CommandLine commandLine, RunSettings base, ModelKind m, Approach a,
            double[] defaultEpsilons) {
        ConstraintScope s = scope != null ? scope : base.objective().scope();
        double[] eps = epsilons != null ? epsilons : defaultEpsilons;
        ObjectiveSettings ob = base.objective();
        OptimizationSettings op = base.optimization();
        DataSettings d = base.data();
        ScheduleSettings sc = base.schedule();
        try {
            // each group built at once from the given options and the base's other values, so that no
            // intermediate combination (e.g. a new epsilon with the old margin) is validated
            ObjectiveSettings objective = new ObjectiveSettings(a, s, a == Approach.CONSTRAINED ? eps : new double[0],
                    or(budgetMargin, ob.budgetMargin()), or(penaltyLambda, ob.penaltyLambda()),
                    or(penaltyForm, ob.penaltyForm()));
            OptimizationSettings optimization = new OptimizationSettings(or(lr, op.primalLearningRate()),
                    or(gateLr, op.gateLearningRate()), or(dualLr, op.dualLearningRate()), dualMethod(op.dualMethod()),
                    or(dualRestarts, op.dualRestarts()), or(scheme, op.scheme()), or(batchSize, op.batchSize()),
                    or(devices, op.devices()));
            DataSettings data = new DataSettings(dataset != null ? DatasetKind.of(dataset) : d.dataset(),
                    normalization != null ? normalization(normalization) : d.normalization(),
                    or(trainSubset, d.trainSubset()), or(testSubset, d.testSubset()),
                    or(validationSize, d.validationSize()));
            ScheduleSettings schedule = new ScheduleSettings(or(epochs, sc.epochs()),
                    lrSchedule != null ? LearningRateSchedule.of(lrSchedule) : sc.lrSchedule(),
                    or(finetuneEpochs, sc.finetuneEpochs()), or(finetuneWeightDecay, sc.finetuneWeightDecay()),
                    finetuneGateNoise != null ? finetuneGateNoise : sc.finetuneGateNoise(),
                    or(checkpointEvery, sc.checkpointEvery()));
            return new RunSettings(base.model().withArchitecture(m), objective, optimization, data, schedule,
                    or(seed, base.seed()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "Invalid option "
                    + SettingFlags.inMessage(e.getMessage()), e);
        }
    }

    /** The normalization a label names; the message names the setting like the driver's. */
    private static Normalization normalization(String label) {
        try {
            return Normalization.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data." + e.getMessage(), e); // "data.normalization must be ..."
        }
    }

    /** The option's value when it was given on the command line, else the base's. */
    private static <T> T or(T given, T base) {
        return given != null ? given : base;
    }

    /**
     * The dual method asked for: {@code --dual-optimizer} with its default gains, overridden by
     * {@code --nupi-kp} and {@code --nupi-nu}; without {@code --dual-optimizer}, the base's kind.
     */
    private DualMethod dualMethod(DualMethod base) {
        if (dualOptimizer == null && nupiKp == null && nupiNu == null) {
            return base;
        }
        DualMethod kindDefaults = dualOptimizer == null || dualOptimizer == base.kind()
                ? base : DualMethod.of(dualOptimizer);
        return new DualMethod(kindDefaults.kind(), nupiKp != null ? nupiKp : kindDefaults.kP(),
                nupiNu != null ? nupiNu : kindDefaults.nu());
    }

    private static double[] repeat(double value, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
