package io.github.lagrange4j.training;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.optim.StepRecord;

/**
 * Stops a diverging run at the first non-finite quantity, before a checkpoint can store it: after every
 * step ({@code onTrainingBatch}) the loss, the Lagrangian, each multiplier and each violation (a fine-tuning
 * step: its loss); after every epoch ({@code onEpoch}, before {@code onEpochEnd} writes anything) the sum of
 * each parameter. Throws {@link NonFiniteException} naming the quantity, the epoch and the step. The values
 * are those the step already read to the host; the epoch check reads one sum per parameter.
 *
 * <p>{@link SparsityTrainer} puts it first among its DJL trainer's listeners.
 */
final class FiniteGuard implements RunListener {

    private final RunSettings settings;
    private int epoch;

    /**
     * Creates the guard of a run.
     *
     * @param settings the run's settings (the exception quotes its learning rates)
     */
    FiniteGuard(RunSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onEpochStart(Trainer trainer, int epoch, int totalEpochs, int steps) {
        this.epoch = epoch;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (batchData instanceof StepData s) {
            if (s.record() != null) {
                checkStep(s.record(), s.epoch(), s.step());
            } else {
                requireFinite("fine-tuning loss", s.loss(), s.epoch(), s.step());
            }
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        checkParameters(trainer.getModel().getBlock(), epoch);
    }

    /**
     * Checks what one constrained-optimizer step reported.
     *
     * @param r the step's record
     * @param epoch the 1-based epoch
     * @param step the 1-based step within the epoch
     * @throws NonFiniteException at the first non-finite value
     */
    void checkStep(StepRecord r, int epoch, int step) {
        requireFinite("loss", r.loss(), epoch, step);
        requireFinite("Lagrangian", r.lagrangian(), epoch, step);
        r.forEachMultiplier((name, i, v) -> requireFinite("multiplier", name, i, v, epoch, step));
        r.forEachViolation((name, i, v) -> requireFinite("violation", name, i, v, epoch, step));
    }

    /**
     * Checks every parameter of a block through its sum (one reduction per parameter).
     *
     * @param block the model's block
     * @param epoch the 1-based epoch that just ended
     * @throws NonFiniteException at the first parameter whose sum is not finite
     */
    void checkParameters(Block block, int epoch) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            try (NDScope ignored = new NDScope()) {
                double sum = p.getValue().getArray().sum().toType(DataType.FLOAT64, false).getDouble();
                requireFinite("parameter " + p.getKey() + " (sum)", sum, epoch, 0);
            }
        }
    }

    private void requireFinite(String kind, String name, int index, double value, int epoch, int step) {
        if (!Double.isFinite(value)) {
            requireFinite(kind + " " + name + "[" + index + "]", value, epoch, step);
        }
    }

    private void requireFinite(String quantity, double value, int epoch, int step) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteException(quantity, value, epoch, step, settings);
        }
    }
}
