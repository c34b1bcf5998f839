package io.github.lagrange4j.training;

import com.google.gson.annotations.SerializedName;
import io.github.lagrange4j.models.ModelKind;
import java.util.Objects;

/**
 * The network being sparsified: which architecture, and how its gated weights start.
 *
 * <p>This group fixes the parameters θ and the gates z (one per output unit or channel of each gated layer)
 * over which the objective is defined: everything else in {@link RunSettings} is about the problem posed on
 * them ({@link ObjectiveSettings}), how it is solved ({@link OptimizationSettings}), on what data
 * ({@link DataSettings}) and for how long ({@link ScheduleSettings}).
 *
 * @param architecture the architecture (stored as {@code "model"} in {@code config.json})
 * @param rescaleWeights whether initial gated weights are divided by {@code (1 − d)}, d the gates' initial
 *     drop rate, so that the expected pre-activation of a gated unit starts as in the dense network
 */
public record ModelSettings(@SerializedName("model") ModelKind architecture, boolean rescaleWeights) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException naming {@code model.architecture} if it is null
     */
    public ModelSettings {
        Objects.requireNonNull(architecture, "model.architecture");
    }

    /**
     * The architecture with weights initialised as in the dense network (no rescaling).
     *
     * @param architecture the architecture
     * @return the settings
     */
    public static ModelSettings of(ModelKind architecture) {
        return new ModelSettings(architecture, false);
    }

    /**
     * Returns these settings with another architecture.
     *
     * @param value the architecture
     * @return the new settings
     */
    public ModelSettings withArchitecture(ModelKind value) {
        return new ModelSettings(value, rescaleWeights);
    }

    /**
     * Returns these settings with or without the initial rescaling of the gated weights.
     *
     * @param value whether to rescale
     * @return the new settings
     */
    public ModelSettings withRescaleWeights(boolean value) {
        return new ModelSettings(architecture, value);
    }
}
