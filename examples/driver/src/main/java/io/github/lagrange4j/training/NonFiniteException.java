package io.github.lagrange4j.training;

/**
 * Thrown when a training quantity (loss, Lagrangian, multiplier, violation or a parameter) stops being a
 * finite number. The message names the quantity, the epoch and step, and the hyperparameters to look at;
 * the run directory keeps its last good checkpoint, from which the run can be resumed.
 */
public final class NonFiniteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param quantity what became non-finite, e.g. "loss" or "multiplier l0_model_density[0]"
     * @param value the offending value
     * @param epoch the 1-based epoch
     * @param step the 1-based step within the epoch (0 at the end-of-epoch check)
     * @param settings the run's settings
     */
    public NonFiniteException(String quantity, double value, int epoch, int step, RunSettings settings) {
        super("non-finite " + quantity + " = " + value + " at epoch " + epoch + ", step " + step
                + ": training diverged; look at the learning rates (lr=" + settings.primalLearningRate()
                + ", gate-lr=" + settings.gateLearningRate() + ", dual-lr=" + settings.dualLearningRate()
                + ") and the batch size (" + settings.batchSize() + "). The last good checkpoint is kept;"
                + " resume with --resume after changing them (with --allow-config-change).");
    }
}
