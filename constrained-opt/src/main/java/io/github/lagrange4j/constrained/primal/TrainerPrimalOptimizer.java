package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uses a DJL {@link Trainer} as the primal side: its gradient collector and {@code
 * trainer.step()}, i.e. the optimizer of its {@code TrainingConfig}.
 *
 * <p>Rule: whatever the trainer's optimizer implements. The trainer's DJL optimizers on PyTorch
 * zero the gradients after the update; {@link StatefulAdam}/{@link StatefulSgd} do as well.
 *
 * <p>Given the trainer's optimizer ({@link #TrainerPrimalOptimizer(Trainer, Optimizer)}) and a trainer on one
 * device, {@link #step()} calls {@code optimizer.update(id, w, grad(w))} for each trainable parameter itself
 * instead of {@code trainer.step()}: the same update on the same gradient, without the copy of every gradient
 * that DJL's parameter server makes first (one native allocation and copy per parameter and step). With a
 * {@link StatefulOptimizer}, it also enables the {@link ColumnGradientSource} blocks of the model and updates
 * their parameters from the column gradients they hand over (the same update, without the full-size gradient).
 *
 * <p>Saved state ({@link #saveState}), after the {@link PrimalState} header of kind {@value #STATE_KIND},
 * version 1: {@code boolean stateful} (whether the optimizer given to the constructor is a {@link
 * StatefulOptimizer}) and, if so, its buffers and step counts ({@link StatefulOptimizer#saveState}: e.g.
 * {@link StatefulAdam}'s two moments, bit for bit). The model's parameters are not part of it: they belong to
 * the trainer's model and are saved with it. So a checkpoint of a constrained optimizer over a {@code Trainer}
 * holds its Adam state without the caller saving it separately. The state of an optimizer that is not a
 * {@link StatefulOptimizer} (or not given) stays inside DJL and is not saved.
 */
public final class TrainerPrimalOptimizer implements PrimalOptimizer {

    /** The kind written in the {@link PrimalState} header of this primal side's state. */
    public static final String STATE_KIND = "trainer";

    private final Trainer trainer;
    private final Optimizer optimizer;
    private final StatefulOptimizer stateful;
    private List<Parameter> trainable;
    /** The model's blocks that hand out column gradients, by the parameters they may hand them out for. */
    private final Map<Parameter, ColumnGradientSource> columnSources = new IdentityHashMap<>();

    /**
     * Wraps a trainer (whose model block is initialised); {@link #step()} is {@code trainer.step()}.
     *
     * @param trainer the trainer, not owned
     */
    public TrainerPrimalOptimizer(Trainer trainer) {
        this(trainer, null);
    }

    /**
     * Wraps a trainer and its optimizer: {@link #step()} updates each trainable parameter with {@code
     * optimizer} directly (on a trainer with one device; with several it is {@code trainer.step()}). The
     * optimizer must be the one of the trainer's {@code TrainingConfig} and must zero the gradient it
     * updates from, as DJL's optimizers on PyTorch and {@link StatefulOptimizer} do.
     *
     * @param trainer the trainer, not owned
     * @param optimizer the trainer's optimizer, or null to call {@code trainer.step()}
     */
    public TrainerPrimalOptimizer(Trainer trainer, Optimizer optimizer) {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer must not be null");
        }
        this.trainer = trainer;
        this.optimizer = trainer.getDevices().length == 1 ? optimizer : null;
        this.stateful = optimizer instanceof StatefulOptimizer s ? s : null;
        if (this.optimizer != null && stateful != null) {
            enableColumnGradients(trainer.getModel().getBlock());
        }
    }

    /** Enables the column gradients of every {@link ColumnGradientSource} block under {@code block}. */
    private void enableColumnGradients(Block block) {
        if (block instanceof ColumnGradientSource source) {
            source.setColumnGradients(true);
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                columnSources.put(p.getValue(), source);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            enableColumnGradients(child.getValue());
        }
    }

    @Override
    public GradientCollector newGradientCollector() {
        return trainer.newGradientCollector();
    }

    @Override
    public void step() {
        if (optimizer == null) {
            trainer.step();
            return;
        }
        if (trainable == null) {
            trainable = new ArrayList<>();
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                    trainable.add(p.getValue());
                }
            }
        }
        for (Parameter p : trainable) {
            NDArray w = p.getArray();
            ColumnGradientSource source = columnSources.get(p);
            ColumnGradient columns = source == null ? null : source.takeColumnGradient(p);
            if (columns != null) {
                try (columns) {
                    stateful.update(p.getId(), w, columns);
                }
                continue;
            }
            try (NDArray g = w.getGradient()) {
                if (g != null) { // null: no forward pass has used w yet (trainer.step() skips it too)
                    optimizer.update(p.getId(), w, g);
                }
            }
        }
    }

    @Override
    public List<NDArray> parameters() {
        return trainableArrays(trainer);
    }

    /**
     * Returns the arrays of a trainer's model's initialised parameters that require a gradient, in block
     * order: the primal variables a primal side over that trainer steps.
     *
     * @param trainer the trainer
     * @return the arrays
     */
    static List<NDArray> trainableArrays(Trainer trainer) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                out.add(p.getValue().getArray());
            }
        }
        return out;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        PrimalState.write(out, STATE_KIND, 1);
        out.writeBoolean(stateful != null);
        if (stateful != null) {
            stateful.saveState(out);
        }
    }

    @Override
    public void loadState(DataInputStream in, NDManager manager) throws IOException {
        PrimalState.read(in, STATE_KIND, 1);
        boolean saved = in.readBoolean();
        if (saved != (stateful != null)) {
            throw new IOException("checkpoint mismatch in the trainer's optimizer state: the checkpoint "
                    + (saved ? "has" : "has no") + " StatefulOptimizer state, this primal optimizer "
                    + (stateful != null ? "has" : "has no") + " StatefulOptimizer");
        }
        if (stateful != null) {
            stateful.loadState(in, manager);
        }
    }
}
