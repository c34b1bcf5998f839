package io.github.lagrange4j.training;

import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import io.github.lagrange4j.constrained.optim.StepRecord;
import java.util.Map;

/**
 * What {@link RunListener#onTrainingBatch} receives after a step: DJL's {@link TrainingListener.BatchData}
 * (the batch, still open; the label and prediction maps are empty because the forward pass runs inside the
 * constrained optimizer) plus the step's place in the run and its values. One object per step, nothing
 * read from the engine for it.
 */
public final class StepData extends TrainingListener.BatchData {

    private final int epoch;
    private final int step;
    private final int steps;
    private final StepRecord record;
    private final double loss;

    /**
     * Describes one step.
     *
     * @param batch the step's batch
     * @param epoch the 1-based epoch
     * @param step the 1-based step within the epoch
     * @param steps the steps of the epoch
     * @param record the constrained optimizer's record, or null for a fine-tuning step
     * @param loss the step's training loss (the record's task loss, or the fine-tuning cross-entropy)
     */
    public StepData(Batch batch, int epoch, int step, int steps, StepRecord record, double loss) {
        super(batch, Map.of(), Map.of());
        this.epoch = epoch;
        this.step = step;
        this.steps = steps;
        this.record = record;
        this.loss = loss;
    }

    /**
     * Returns the epoch.
     *
     * @return the 1-based epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the step.
     *
     * @return the 1-based step within the epoch
     */
    public int step() {
        return step;
    }

    /**
     * Returns the steps of the epoch.
     *
     * @return the number of minibatches
     */
    public int steps() {
        return steps;
    }

    /**
     * Returns the constrained optimizer's record of the step.
     *
     * @return the record, or null in the fine-tuning phase
     */
    public StepRecord record() {
        return record;
    }

    /**
     * Returns the step's training loss.
     *
     * @return the task loss (main phase) or the fine-tuning cross-entropy
     */
    public double loss() {
        return loss;
    }
}
