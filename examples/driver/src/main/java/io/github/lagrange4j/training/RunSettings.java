package io.github.lagrange4j.training;

import com.google.gson.annotations.JsonAdapter;
import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.Normalization;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything that determines a sparsity training run, in five groups and a seed; written to {@code config.json}
 * next to its results and compared on resume.
 *
 * <p>The groups follow the maths of the run: the network ({@link ModelSettings}: the parameters θ and gates z),
 * the problem posed on it ({@link ObjectiveSettings}: penalized loss, or loss under density budgets ε), how
 * that problem is solved ({@link OptimizationSettings}: Adam on θ and log α, the dual update of the
 * multipliers, the minibatch), the data its expectations are estimated on ({@link DataSettings}) and how the run
 * unfolds over epochs ({@link ScheduleSettings}: main phase, fine-tuning phase, checkpoints). The seed stands
 * alone because it drives randomness in three of them: initialisation, shuffling and the gates' noise. Every
 * group validates its own settings; this record checks what spans groups (one ε per gated layer of the
 * architecture for a layer-wise budget; one for a model-wise or MAC budget). Messages name the setting by its
 * path, e.g. {@code objective.epsilons}; {@link #differences} lists changed settings by the same paths.
 *
 * <p>Change settings by name with the {@code withX} methods of the record and its groups:
 *
 * <pre>{@code
 * RunSettings settings = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED)
 *         .withOptimization(o -> o.withDualMethod(DualMethod.of(DualMethod.Kind.NUPI)))
 *         .withSchedule(s -> s.withEpochs(20));
 * }</pre>
 *
 * <p>In {@code config.json} the settings are one flat object, as written since the first version
 * ({@code RunSettingsJson}); a setting added since a file was written reads as its documented default.
 *
 * @param model the network
 * @param objective the penalized or constrained objective
 * @param optimization the primal and dual optimizers and the minibatch size
 * @param data the data set, its scaling and its training, validation and test subsets
 * @param schedule the epochs of the two phases and the checkpoint cadence
 * @param seed the seed of initialisation, shuffling and gate noise
 */
@JsonAdapter(RunSettingsJson.class)
public record RunSettings(ModelSettings model, ObjectiveSettings objective, OptimizationSettings optimization,
        DataSettings data, ScheduleSettings schedule, long seed) {

    /** The kept gates' log α of the certified preset's noisy fine-tuning. */
    public static final double CERTIFIED_GATE_NOISE = 1.6;

    /**
     * Validates the settings that span groups.
     *
     * @throws IllegalArgumentException naming {@code objective.epsilons} if a constrained objective has not one
     *     ε (model-wise) or one per gated layer of the architecture (layer-wise)
     */
    public RunSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(schedule, "schedule");
        if (objective.approach() == Approach.CONSTRAINED) {
            int expected = objective.scope() == ConstraintScope.LAYER ? model.architecture().gatedLayers() : 1;
            int given = objective.epsilons().length;
            if (given != expected) {
                throw new IllegalArgumentException("objective.epsilons: a " + objective.scope().name().toLowerCase()
                        + "-wise budget for " + model.architecture() + " needs " + expected + " target(s), got "
                        + given);
            }
        }
    }

    /**
     * The quick preset: a few minutes here. Constrained MLP, model-wise ε = 0.33, 10 epochs of full MNIST,
     * larger gate and dual learning rates than the paper so that the budget bites within the run.
     *
     * @return the settings
     */
    public static RunSettings quick() {
        return new RunSettings(ModelSettings.of(ModelKind.MLP), ObjectiveSettings.constrained(ConstraintScope.MODEL,
                0.33), new OptimizationSettings(1e-3, 2e-2, 3e-2, DualMethod.SGD, true, UpdateScheme.SIMULTANEOUS, 128),
                DataSettings.of(DatasetKind.MNIST, Normalization.MNIST_STANDARDIZED), ScheduleSettings.of(10), 42);
    }

    /**
     * The paper preset (the MNIST protocol of Gallego-Posada, Ramirez et al., "Controlled Sparsity via
     * Constrained Optimization", NeurIPS 2022, and for penalized runs that of Louizos, Welling and Kingma,
     * "Learning Sparse Neural Networks through L0 Regularization", ICLR 2018): 200 epochs. Constrained runs
     * follow the NeurIPS 2022 code (Adam 7e-4 for weights and gates, dual SGD 1e-4 with restarts, batch 128,
     * standardised input); penalized runs follow Louizos et al. (Adam 1e-3, batch 100, pixels in [0, 1],
     * λ = 0.1/N).
     *
     * @param architecture the architecture
     * @param approach penalized or constrained
     * @return the settings (ε = 0.33 for the MLP, 0.10 for LeNet)
     */
    public static RunSettings paper(ModelKind architecture, Approach approach) {
        if (approach == Approach.PENALIZED) {
            return new RunSettings(ModelSettings.of(architecture), ObjectiveSettings.penalized(0.1, PenaltyForm.LOUIZOS),
                    new OptimizationSettings(1e-3, 1e-3, 1e-4, DualMethod.SGD, false, UpdateScheme.SIMULTANEOUS, 100),
                    DataSettings.of(DatasetKind.MNIST, Normalization.UNIT_INTERVAL), ScheduleSettings.of(200), 42);
        }
        double epsilon = architecture == ModelKind.MLP ? 0.33 : 0.10;
        return new RunSettings(ModelSettings.of(architecture), ObjectiveSettings.constrained(ConstraintScope.MODEL,
                epsilon), new OptimizationSettings(7e-4, 7e-4, 1e-4, DualMethod.SGD, true, UpdateScheme.SIMULTANEOUS,
                        128), DataSettings.of(DatasetKind.MNIST, Normalization.MNIST_STANDARDIZED),
                ScheduleSettings.of(200), 42);
    }

    /**
     * The certified preset: the paper preset in 70 epochs whose output model is certified and uses its
     * budget. Constrained runs: gate Adam 7e-3 and dual SGD 1e-2 with restarts, a budget margin of 0.005
     * (for the MLP the expected density is within {@code [ε − 0.01, ε]} from about epoch 12 on), 30 epochs,
     * then 40 epochs fine-tuning the fixed mask with the hard-concrete noise kept on the kept gates at
     * {@code log α = 1.6}. Penalized runs: the paper's settings for 30 epochs and the same fine-tuning (their
     * own mask). Measured for the MLP at ε = 0.33 (README, "The deployed model uses its budget").
     *
     * @param architecture the architecture
     * @param approach penalized or constrained
     * @return the settings
     */
    public static RunSettings certified(ModelKind architecture, Approach approach) {
        RunSettings s = paper(architecture, approach)
                .withSchedule(p -> p.withEpochs(30).withFinetuneEpochs(40).withFinetuneGateNoise(CERTIFIED_GATE_NOISE));
        if (approach == Approach.CONSTRAINED) {
            s = s.withOptimization(o -> o.withGateLearningRate(7e-3).withDualLearningRate(1e-2))
                    .withObjective(o -> o.withBudgetMargin(0.005));
        }
        return s;
    }

    /**
     * A builder in DJL's style: {@code setModel} and {@code setObjective} are required, the other groups
     * default to the {@linkplain #paper paper preset} of the model and approach.
     *
     * @return a new builder
     */
    public static RunSettingsBuilder builder() {
        return new RunSettingsBuilder();
    }

    /**
     * Lists the settings that differ from {@code other}, by path in declaration order (e.g.
     * {@code schedule.epochs: 2 -> 4}), with values as {@code config.json} writes them.
     *
     * @param other the settings to compare with (e.g. those a resume asks for)
     * @return the differences, empty if the settings are equal
     */
    public List<SettingDifference> differences(RunSettings other) {
        return SettingDifference.between(this, Objects.requireNonNull(other, "other"));
    }

    /**
     * Describes the settings on one line as {@code config.json} stores them, e.g. {@code RunSettings{"model":
     * "MLP","approach":"CONSTRAINED",...}} (what the command line prints when a run starts).
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "RunSettings" + RunSettingsJson.GSON.toJson(this);
    }

    /**
     * Returns these settings with another network.
     *
     * @param value the model settings
     * @return the new settings
     */
    public RunSettings withModel(ModelSettings value) {
        return new RunSettings(value, objective, optimization, data, schedule, seed);
    }

    /**
     * Returns these settings with the network changed by {@code change}.
     *
     * @param change e.g. {@code m -> m.withArchitecture(ModelKind.LENET)}
     * @return the new settings
     */
    public RunSettings withModel(UnaryOperator<ModelSettings> change) {
        return withModel(change.apply(model));
    }

    /**
     * Returns these settings with another objective.
     *
     * @param value the objective
     * @return the new settings
     */
    public RunSettings withObjective(ObjectiveSettings value) {
        return new RunSettings(model, value, optimization, data, schedule, seed);
    }

    /**
     * Returns these settings with the objective changed by {@code change}.
     *
     * @param change e.g. {@code o -> o.withEpsilons(0.2)}
     * @return the new settings
     */
    public RunSettings withObjective(UnaryOperator<ObjectiveSettings> change) {
        return withObjective(change.apply(objective));
    }

    /**
     * Returns these settings with other optimizers.
     *
     * @param value the optimization settings
     * @return the new settings
     */
    public RunSettings withOptimization(OptimizationSettings value) {
        return new RunSettings(model, objective, value, data, schedule, seed);
    }

    /**
     * Returns these settings with the optimization changed by {@code change}.
     *
     * @param change e.g. {@code o -> o.withBatchSize(64)}
     * @return the new settings
     */
    public RunSettings withOptimization(UnaryOperator<OptimizationSettings> change) {
        return withOptimization(change.apply(optimization));
    }

    /**
     * Returns these settings with other data.
     *
     * @param value the data settings
     * @return the new settings
     */
    public RunSettings withData(DataSettings value) {
        return new RunSettings(model, objective, optimization, value, schedule, seed);
    }

    /**
     * Returns these settings with the data changed by {@code change}.
     *
     * @param change e.g. {@code d -> d.withTrainSubset(1000)}
     * @return the new settings
     */
    public RunSettings withData(UnaryOperator<DataSettings> change) {
        return withData(change.apply(data));
    }

    /**
     * Returns these settings with another schedule.
     *
     * @param value the schedule
     * @return the new settings
     */
    public RunSettings withSchedule(ScheduleSettings value) {
        return new RunSettings(model, objective, optimization, data, value, seed);
    }

    /**
     * Returns these settings with the schedule changed by {@code change}.
     *
     * @param change e.g. {@code s -> s.withEpochs(3)}
     * @return the new settings
     */
    public RunSettings withSchedule(UnaryOperator<ScheduleSettings> change) {
        return withSchedule(change.apply(schedule));
    }

    /**
     * Returns these settings with another seed.
     *
     * @param value the seed
     * @return the new settings
     */
    public RunSettings withSeed(long value) {
        return new RunSettings(model, objective, optimization, data, schedule, value);
    }
}
