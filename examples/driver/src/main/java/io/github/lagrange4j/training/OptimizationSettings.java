package io.github.lagrange4j.training;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import java.util.Objects;

/**
 * How the objective is minimised: stochastic gradient descent-ascent on the Lagrangian (for a penalized run,
 * the primal half only).
 *
 * <p>Each step draws a minibatch of {@code batchSize} examples, then updates the primal variables with Adam
 * (the weights and biases at {@code primalLearningRate}, the gates' log α at {@code gateLearningRate}) and the
 * multipliers with {@code dualMethod} at step size {@code dualLearningRate}, {@code λ ← max(0, λ + η_dual ·
 * (g − ε + m))} for gradient ascent; {@code dualRestarts} resets λ_k to 0 when its constraint is strictly
 * satisfied (Gallego-Posada, Ramirez et al., NeurIPS 2022), and {@code scheme} orders the two
 * updates (simultaneous or alternating). These settings belong together because they change the path to a
 * solution of {@link ObjectiveSettings}, not the solution sought.
 *
 * @param primalLearningRate Adam's learning rate for weights and biases, {@code > 0}
 * @param gateLearningRate Adam's learning rate for the gates' log α, {@code > 0}
 * @param dualLearningRate the dual step size η_dual, {@code > 0}
 * @param dualMethod the dual update rule (gradient ascent, Adam or νPI); null (a {@code config.json} written
 *     before this setting existed) means {@link DualMethod#SGD}
 * @param dualRestarts whether λ_k is reset to 0 when its constraint is strictly satisfied
 * @param scheme the update scheme
 * @param batchSize examples per minibatch, {@code ≥ 1}
 * @param devices the number of devices each minibatch is split over (data-parallel training, {@link
 *     DataParallel}), {@code ≥ 1} and at most {@code batchSize}; null (a {@code config.json} written before this
 *     setting existed) means 1. The shards' losses and data-dependent constraint terms are summed before the one
 *     primal and dual step, so the path is that of one device up to float rounding.
 */
public record OptimizationSettings(double primalLearningRate, double gateLearningRate, double dualLearningRate,
        DualMethod dualMethod, boolean dualRestarts, UpdateScheme scheme, int batchSize, Integer devices) {

    /**
     * Validates every component; messages name the setting, e.g. {@code optimization.batchSize}.
     *
     * @throws IllegalArgumentException naming the setting whose value is out of range
     */
    public OptimizationSettings {
        Objects.requireNonNull(scheme, "optimization.scheme");
        dualMethod = dualMethod == null ? DualMethod.SGD : dualMethod;
        SettingChecks.requirePositive("optimization.primalLearningRate", primalLearningRate, false);
        SettingChecks.requirePositive("optimization.gateLearningRate", gateLearningRate, false);
        SettingChecks.requirePositive("optimization.dualLearningRate", dualLearningRate, false);
        SettingChecks.requireAtLeast("optimization.batchSize", batchSize, 1);
        devices = devices == null ? Integer.valueOf(1) : devices;
        SettingChecks.requireAtLeast("optimization.devices", devices, 1);
        if (batchSize < devices) {
            throw new IllegalArgumentException("optimization.batchSize (" + batchSize
                    + ") must be >= optimization.devices (" + devices + "): every device needs at least one example"
                    + " of a minibatch");
        }
    }

    /**
     * Creates settings for training on one device.
     *
     * @param primalLearningRate Adam's learning rate for weights and biases, {@code > 0}
     * @param gateLearningRate Adam's learning rate for the gates' log α, {@code > 0}
     * @param dualLearningRate the dual step size η_dual, {@code > 0}
     * @param dualMethod the dual update rule; null means {@link DualMethod#SGD}
     * @param dualRestarts whether λ_k is reset to 0 when its constraint is strictly satisfied
     * @param scheme the update scheme
     * @param batchSize examples per minibatch, {@code ≥ 1}
     */
    public OptimizationSettings(double primalLearningRate, double gateLearningRate, double dualLearningRate,
            DualMethod dualMethod, boolean dualRestarts, UpdateScheme scheme, int batchSize) {
        this(primalLearningRate, gateLearningRate, dualLearningRate, dualMethod, dualRestarts, scheme, batchSize, 1);
    }

    /**
     * Returns these settings with another learning rate for weights and biases.
     *
     * @param value the rate, {@code > 0}
     * @return the new settings
     */
    public OptimizationSettings withPrimalLearningRate(double value) {
        return new OptimizationSettings(value, gateLearningRate, dualLearningRate, dualMethod, dualRestarts, scheme,
                batchSize, devices);
    }

    /**
     * Returns these settings with another learning rate for the gates' log α.
     *
     * @param value the rate, {@code > 0}
     * @return the new settings
     */
    public OptimizationSettings withGateLearningRate(double value) {
        return new OptimizationSettings(primalLearningRate, value, dualLearningRate, dualMethod, dualRestarts, scheme,
                batchSize, devices);
    }

    /**
     * Returns these settings with another dual step size.
     *
     * @param value η_dual, {@code > 0}
     * @return the new settings
     */
    public OptimizationSettings withDualLearningRate(double value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, value, dualMethod, dualRestarts, scheme,
                batchSize, devices);
    }

    /**
     * Returns these settings with another dual update rule.
     *
     * @param value the rule
     * @return the new settings
     */
    public OptimizationSettings withDualMethod(DualMethod value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, dualLearningRate, value, dualRestarts,
                scheme, batchSize, devices);
    }

    /**
     * Returns these settings with or without dual restarts.
     *
     * @param value whether a multiplier is reset to 0 when its constraint is strictly satisfied
     * @return the new settings
     */
    public OptimizationSettings withDualRestarts(boolean value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, dualLearningRate, dualMethod, value,
                scheme, batchSize, devices);
    }

    /**
     * Returns these settings with another update scheme.
     *
     * @param value the scheme
     * @return the new settings
     */
    public OptimizationSettings withScheme(UpdateScheme value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, dualLearningRate, dualMethod,
                dualRestarts, value, batchSize, devices);
    }

    /**
     * Returns these settings with another minibatch size.
     *
     * @param value examples per minibatch, {@code ≥ 1}
     * @return the new settings
     */
    public OptimizationSettings withBatchSize(int value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, dualLearningRate, dualMethod,
                dualRestarts, scheme, value, devices);
    }

    /**
     * Returns these settings with another number of devices.
     *
     * @param value devices each minibatch is split over, {@code ≥ 1} and at most the batch size
     * @return the new settings
     */
    public OptimizationSettings withDevices(int value) {
        return new OptimizationSettings(primalLearningRate, gateLearningRate, dualLearningRate, dualMethod,
                dualRestarts, scheme, batchSize, value);
    }
}
