package io.github.lagrange4j.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;

/**
 * A DJL {@link TrainingListener} that also hears the two events of a sparsity run DJL's interface has no data
 * for. Add it (or any plain {@code TrainingListener}) to a run with {@link SparsityRun#start} / {@link
 * SparsityRun#resume} or to a {@link SparsityTrainer}: it goes into the DJL {@code TrainingConfig} of the run's
 * {@link Trainer}, and every event is delivered through {@link Trainer#notifyListeners}.
 *
 * <p>Why a sub-interface: DJL's {@link #onEpoch(Trainer)} carries only the trainer, and the trainer keeps no
 * epoch number, no constrained-optimizer record and no per-epoch accounting (density, pruned architecture,
 * multipliers, budget verdict) — yet the metrics files, the checkpoints and the plot need exactly those. So
 * the per-step record travels in DJL's own {@link #onTrainingBatch} as a {@link StepData} (a {@code
 * BatchData} subclass a plain DJL listener can ignore), and two events are added here: {@link #onEpochStart}
 * (DJL has none; a progress display needs the epoch and its step count before the first step) and {@link
 * #onEpochEnd} with the epoch's {@link EpochEnd} (fired by {@link SparsityRun}, which owns the run directory and
 * the history, after DJL's {@code onEpoch}).
 *
 * <p>Order of events in a run: {@code onTrainingBegin} (when the trainer is built, before a resume restores
 * the checkpoint); per epoch {@code onEpochStart}, {@code onTrainingBatch} after each constrained step (or
 * fine-tuning step), {@code onValidationBatch} for each batch of the test split as it is evaluated (with the
 * logits as predictions), DJL's {@code onEpoch}, then {@code onEpochEnd}; {@code onTrainingEnd} when the
 * trainer closes. Listeners are called in the order they were added, after the driver's own non-finite guard.
 * Every method does nothing by default. A listener that must report a failed write throws {@link
 * java.io.UncheckedIOException}; the run reports it like its own failed writes.
 */
public interface RunListener extends TrainingListener {

    /**
     * Called before the first step of an epoch.
     *
     * @param trainer the DJL trainer
     * @param epoch the 1-based epoch starting
     * @param totalEpochs the run's epochs, fine-tuning included
     * @param steps the minibatches of this epoch
     */
    default void onEpochStart(Trainer trainer, int epoch, int totalEpochs, int steps) {}

    /**
     * Called after an epoch has been trained and evaluated (after DJL's {@code onEpoch}).
     *
     * @param trainer the DJL trainer
     * @param end the epoch's metrics and the run's context
     */
    default void onEpochEnd(Trainer trainer, EpochEnd end) {}

    /**
     * Delivers {@link #onEpochStart} to a listener if it is a {@code RunListener} (for {@code
     * trainer.notifyListeners(l -> RunListener.startEpoch(l, trainer, ...))}).
     *
     * @param listener any listener of the trainer
     * @param trainer the DJL trainer
     * @param epoch the 1-based epoch starting
     * @param totalEpochs the run's epochs, fine-tuning included
     * @param steps the minibatches of this epoch
     */
    static void startEpoch(TrainingListener listener, Trainer trainer, int epoch, int totalEpochs, int steps) {
        if (listener instanceof RunListener r) {
            r.onEpochStart(trainer, epoch, totalEpochs, steps);
        }
    }

    /**
     * Delivers {@link #onEpochEnd} to a listener if it is a {@code RunListener}.
     *
     * @param listener any listener of the trainer
     * @param trainer the DJL trainer
     * @param end the epoch's metrics and the run's context
     */
    static void endEpoch(TrainingListener listener, Trainer trainer, EpochEnd end) {
        if (listener instanceof RunListener r) {
            r.onEpochEnd(trainer, end);
        }
    }

    @Override
    default void onEpoch(Trainer trainer) {}

    @Override
    default void onTrainingBatch(Trainer trainer, BatchData batchData) {}

    @Override
    default void onValidationBatch(Trainer trainer, BatchData batchData) {}

    @Override
    default void onTrainingBegin(Trainer trainer) {}

    @Override
    default void onTrainingEnd(Trainer trainer) {}
}
