package io.github.lagrange4j.training;

/**
 * Thrown when a training quantity (loss, Lagrangian, multiplier, violation or a parameter) stops being a
 * finite number. The message names the quantity, the epoch and step, and the hyperparameters to look at;
 * the run directory keeps its last good checkpoint, from which the run can be resumed.
 */
public final class NonFiniteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String diagnosis;

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
        this(diagnosis(quantity, value, epoch, step, settings));
    }

    private NonFiniteException(String diagnosis) {
        super(diagnosis + " The last good checkpoint is kept; resume the run after changing them (SparsityRun.resume"
                + " with allowConfigChange).");
        this.diagnosis = diagnosis;
    }

    private static String diagnosis(String quantity, double value, int epoch, int step, RunSettings settings) {
        return "non-finite " + quantity + " = " + value + " at epoch " + epoch + ", step " + step
                + ": training diverged; look at the learning rates (lr=" + settings.optimization().primalLearningRate()
                + ", gate-lr=" + settings.optimization().gateLearningRate() + ", dual-lr="
                + settings.optimization().dualLearningRate()
                + ") and the batch size (" + settings.optimization().batchSize() + ").";
    }

    /**
     * Returns what diverged, where, and the settings to look at, without the advice on resuming (which a
     * command line words with its own options).
     *
     * @return e.g. {@code "non-finite loss = NaN at epoch 2, step 17: training diverged; look at ..."}
     */
    public String diagnosis() {
        return diagnosis;
    }
}
