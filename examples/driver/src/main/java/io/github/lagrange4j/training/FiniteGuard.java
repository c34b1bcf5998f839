package io.github.lagrange4j.training;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.optim.StepRecord;

/**
 * Stops a diverging run at the first non-finite quantity, before a checkpoint can store it: after every
 * step the loss, the Lagrangian, each multiplier and each violation; after every epoch the sum of each
 * parameter. Throws {@link NonFiniteException} naming the quantity, the epoch and the step.
 */
final class FiniteGuard {

    private final RunSettings settings;

    /**
     * Creates the guard of a run.
     *
     * @param settings the run's settings (the exception quotes its learning rates)
     */
    FiniteGuard(RunSettings settings) {
        this.settings = settings;
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
