package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Uses a DJL {@link Trainer} as the primal side: its gradient collector and {@code
 * trainer.step()}, i.e. the optimizer of its {@code TrainingConfig}.
 *
 * <p>Rule: whatever the trainer's optimizer implements. The trainer's DJL optimizers on PyTorch
 * zero the gradients after the update; {@link StatefulAdam}/{@link StatefulSgd} do as well.
 */
public final class TrainerPrimalOptimizer implements PrimalOptimizer {

    private final Trainer trainer;

    /**
     * Wraps a trainer (whose model block is initialised).
     *
     * @param trainer the trainer, not owned
     */
    public TrainerPrimalOptimizer(Trainer trainer) {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer must not be null");
        }
        this.trainer = trainer;
    }

    @Override
    public GradientCollector newGradientCollector() {
        return trainer.newGradientCollector();
    }

    @Override
    public void step() {
        trainer.step();
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                out.add(p.getValue().getArray());
            }
        }
        return out;
    }
}
