package io.github.lagrange4j.training;

import io.github.lagrange4j.models.ModelKind;

/**
 * Builds {@link RunSettings} from its groups in DJL's style: {@code setX} for what has no default (the network
 * and the objective), {@code optX} for what defaults to the {@linkplain RunSettings#paper paper preset} of that
 * network and approach. To change a few settings of existing ones, use the {@code withX} methods of
 * {@link RunSettings} and its groups instead.
 *
 * <pre>{@code
 * RunSettings settings = RunSettings.builder()
 *         .setModel(ModelKind.LENET)
 *         .setObjective(ObjectiveSettings.constrained(ConstraintScope.LAYER, 0.5, 0.3, 0.1, 0.5))
 *         .optSchedule(ScheduleSettings.of(20))
 *         .optSeed(7)
 *         .build();
 * }</pre>
 */
public final class RunSettingsBuilder {

    private ModelSettings model;
    private ObjectiveSettings objective;
    private OptimizationSettings optimization;
    private DataSettings data;
    private ScheduleSettings schedule;
    private Long seed;

    RunSettingsBuilder() {}

    /**
     * Sets the network (required).
     *
     * @param value the model settings
     * @return this builder
     */
    public RunSettingsBuilder setModel(ModelSettings value) {
        model = value;
        return this;
    }

    /**
     * Sets the architecture, its gated weights initialised as in the dense network (required).
     *
     * @param value the architecture
     * @return this builder
     */
    public RunSettingsBuilder setModel(ModelKind value) {
        return setModel(ModelSettings.of(value));
    }

    /**
     * Sets the penalized or constrained objective (required).
     *
     * @param value the objective
     * @return this builder
     */
    public RunSettingsBuilder setObjective(ObjectiveSettings value) {
        objective = value;
        return this;
    }

    /**
     * Sets the optimizers and minibatch size (default: the paper preset's for the approach).
     *
     * @param value the optimization settings
     * @return this builder
     */
    public RunSettingsBuilder optOptimization(OptimizationSettings value) {
        optimization = value;
        return this;
    }

    /**
     * Sets the data (default: the paper preset's for the approach, all of MNIST).
     *
     * @param value the data settings
     * @return this builder
     */
    public RunSettingsBuilder optData(DataSettings value) {
        data = value;
        return this;
    }

    /**
     * Sets the schedule (default: the paper preset's 200 epochs, no fine-tuning).
     *
     * @param value the schedule
     * @return this builder
     */
    public RunSettingsBuilder optSchedule(ScheduleSettings value) {
        schedule = value;
        return this;
    }

    /**
     * Sets the seed of initialisation, shuffling and gate noise (default: the presets' 42).
     *
     * @param value the seed
     * @return this builder
     */
    public RunSettingsBuilder optSeed(long value) {
        seed = value;
        return this;
    }

    /**
     * Validates and builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException if the model or the objective is not set, or naming the setting whose
     *     value is invalid
     */
    public RunSettings build() {
        if (model == null || objective == null) {
            throw new IllegalArgumentException((model == null ? "model" : "objective") + " is required: call set"
                    + (model == null ? "Model" : "Objective"));
        }
        RunSettings defaults = RunSettings.paper(model.architecture(), objective.approach());
        return new RunSettings(model, objective, optimization != null ? optimization : defaults.optimization(),
                data != null ? data : defaults.data(), schedule != null ? schedule : defaults.schedule(),
                seed != null ? seed : defaults.seed());
    }
}
