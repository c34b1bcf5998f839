package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.List;

/**
 * The primal side of data-parallel training with a DJL {@link Trainer} on several devices: the trainer's
 * {@code ParameterStore} holds one copy of every parameter per device, the shards' forward passes run on
 * their devices, and {@code trainer.step()} lets DJL's parameter server sum the gradients over the devices
 * and update through a {@link ReplicatedOptimizer}.
 *
 * <p>Call order per step (a constrained optimizer's): {@link #newGradientCollector()} first copies the
 * model's own parameter values (the first device's copies, which the update and the problem's projection
 * changed) onto the other devices' copies ({@link ReplicatedOptimizer#broadcast()}), outside any gradient
 * collector, then opens the collector; the
 * problem runs the shards' forward passes and the backward pass; {@link #step()} begins the wrapper's step
 * and calls {@code trainer.step()}.
 */
public final class DataParallelPrimalOptimizer implements PrimalOptimizer {

    private final Trainer trainer;
    private final ReplicatedOptimizer optimizer;

    /**
     * Wraps a trainer whose {@code TrainingConfig} has several devices and {@code optimizer} as its optimizer.
     *
     * @param trainer the trainer, not owned; the model's block initialised on its first device
     * @param optimizer the trainer's optimizer
     */
    public DataParallelPrimalOptimizer(Trainer trainer, ReplicatedOptimizer optimizer) {
        if (trainer == null || optimizer == null) {
            throw new IllegalArgumentException("trainer and optimizer must not be null");
        }
        this.trainer = trainer;
        this.optimizer = optimizer;
    }

    @Override
    public GradientCollector newGradientCollector() {
        optimizer.broadcast();
        return trainer.newGradientCollector();
    }

    @Override
    public void step() {
        optimizer.newStep();
        trainer.step();
    }

    @Override
    public List<NDArray> parameters() {
        return TrainerPrimalOptimizer.trainableArrays(trainer);
    }
}
