package io.github.lagrange4j.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.OptimizerCheckpoint;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import io.github.lagrange4j.constrained.primal.StatefulOptimizer;
import io.github.lagrange4j.training.output.Checkpoint;
import io.github.lagrange4j.training.output.CheckpointSection;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The whole training state of a run after an epoch, as the sections of its checkpoint (which
 * {@link io.github.lagrange4j.training.output.CheckpointStore} frames, hashes and writes atomically, format
 * version 2). Sections, in file order, each at version 1 (integers big-endian):
 *
 * <pre>
 * "training-state"         int epoch, boolean fine-tuning (whether the run is in its fine-tuning phase)
 * "parameters"             the model's parameters, DJL's {@code Block.saveParameters} encoding
 * "primal-optimizer"       the constrained optimizer's primal side, {@code PrimalOptimizer.saveState} (for a
 *                          run: the DJL Trainer's StatefulAdam, step counts and both moments exactly)
 * "dual"                   the rest of the constrained optimizer, {@code OptimizerCheckpoint.saveDualState}:
 *                          multipliers, dual-optimizer and penalty state, step count
 * "fine-tuning-optimizer"  only in the fine-tuning phase: its Adam's state, {@code StatefulOptimizer.saveState}
 * </pre>
 *
 * <p>Every error names the section and its version. A checkpoint of format version 1 (one opaque payload,
 * written before the sections existed) is read by {@link TrainingStateV1}.
 */
final class TrainingState {

    static final String TRAINING_STATE = "training-state";
    static final String PARAMETERS = "parameters";
    static final String PRIMAL_OPTIMIZER = "primal-optimizer";
    static final String DUAL = "dual";
    static final String FINE_TUNING_OPTIMIZER = "fine-tuning-optimizer";
    private static final Set<String> KNOWN = Set.of(TRAINING_STATE, PARAMETERS, PRIMAL_OPTIMIZER, DUAL,
            FINE_TUNING_OPTIMIZER);

    private TrainingState() {}

    /**
     * The live objects a checkpoint is written from and restored into.
     *
     * @param block the model's block
     * @param manager the manager that owns restored optimizer state
     * @param optimizer the constrained optimizer (its primal side saves the trainer's optimizer state)
     * @param trainerOptimizer the DJL trainer's optimizer, read on its own only from format version 1
     */
    record Parts(Block block, NDManager manager, ConstrainedOptimizer<?> optimizer,
            StatefulOptimizer trainerOptimizer) {

        static Parts of(SparsityTrainer trainer) {
            return new Parts(trainer.model().getBlock(), trainer.manager(), trainer.constrainedOptimizer(),
                    trainer.primalOptimizer());
        }
    }

    /**
     * A restored training state.
     *
     * @param epoch the completed epoch
     * @param fineTuner the fine-tuning phase's optimizer, or null before the phase
     */
    record Restored(int epoch, FineTuner fineTuner) {}

    /** The body of section {@value #TRAINING_STATE}. */
    private record Phase(int epoch, boolean fineTuning) {}

    /**
     * Serialises the whole training state of a run after an epoch.
     *
     * @param trainer the trainer
     * @param fineTuner the fine-tuning phase, or null before it
     * @param epoch the completed epoch
     * @return the checkpoint's sections
     * @throws IOException on a write failure
     */
    static List<CheckpointSection> snapshot(SparsityTrainer trainer, FineTuner fineTuner, int epoch)
            throws IOException {
        return sections(Parts.of(trainer), fineTuner, epoch);
    }

    /**
     * Restores a run's training state into a freshly built trainer with the same settings.
     *
     * @param trainer the trainer
     * @param checkpoint a verified checkpoint of format version 1 or 2
     * @return the completed epoch and, within the fine-tuning phase, the restored fine-tuner
     * @throws IOException if the checkpoint does not fit (the message names the section and version)
     */
    static Restored restore(SparsityTrainer trainer, Checkpoint checkpoint) throws IOException {
        return restore(checkpoint, Parts.of(trainer), () -> new FineTuner(trainer));
    }

    static List<CheckpointSection> sections(Parts parts, FineTuner fineTuner, int epoch) throws IOException {
        List<CheckpointSection> sections = new ArrayList<>();
        sections.add(CheckpointSection.write(TRAINING_STATE, 1, out -> {
            out.writeInt(epoch);
            out.writeBoolean(fineTuner != null);
        }));
        sections.add(CheckpointSection.write(PARAMETERS, 1, out -> parts.block().saveParameters(out)));
        sections.add(CheckpointSection.write(PRIMAL_OPTIMIZER, 1, out -> parts.optimizer().primal().saveState(out)));
        sections.add(CheckpointSection.write(DUAL, 1, out -> OptimizerCheckpoint.saveDualState(parts.optimizer(), out)));
        if (fineTuner != null) {
            sections.add(CheckpointSection.write(FINE_TUNING_OPTIMIZER, 1, fineTuner::saveState));
        }
        return sections;
    }

    static Restored restore(Checkpoint checkpoint, Parts parts, Supplier<FineTuner> newFineTuner)
            throws IOException {
        if (checkpoint.formatVersion() == 1) {
            return TrainingStateV1.restore(checkpoint, parts, newFineTuner);
        }
        for (CheckpointSection s : checkpoint.sections()) {
            if (!KNOWN.contains(s.name())) {
                throw new IOException(s.describe() + " of " + checkpoint.file().getFileName()
                        + " is unknown to this build (it reads " + KNOWN + ")");
            }
        }
        CheckpointSection state = checkpoint.section(TRAINING_STATE);
        Phase phase = state.read(1, (in, v) -> new Phase(in.readInt(), in.readBoolean()));
        int epoch = phase.epoch();
        boolean fineTuning = phase.fineTuning();
        if (epoch != checkpoint.epoch()) {
            throw new IOException(state.describe() + " holds epoch " + epoch + ", the file's header epoch "
                    + checkpoint.epoch());
        }
        if (fineTuning != checkpoint.optionalSection(FINE_TUNING_OPTIMIZER).isPresent()) {
            throw new IOException(state.describe() + " says fine-tuning is " + (fineTuning ? "on" : "off")
                    + " but section '" + FINE_TUNING_OPTIMIZER + "' is " + (fineTuning ? "missing" : "present"));
        }
        checkpoint.section(PARAMETERS).read(1, (in, v) -> restoreParametersInPlace(parts, in));
        checkpoint.section(PRIMAL_OPTIMIZER).read(1, (in, v) -> {
            parts.optimizer().primal().loadState(in, parts.manager());
            return null;
        });
        checkpoint.section(DUAL).read(1, (in, v) -> {
            OptimizerCheckpoint.loadDualState(parts.optimizer(), in, parts.manager());
            return null;
        });
        FineTuner fineTuner = null;
        if (fineTuning) {
            FineTuner restored = newFineTuner.get();
            checkpoint.section(FINE_TUNING_OPTIMIZER).read(1, (in, v) -> {
                restored.loadState(in, parts.manager());
                return null;
            });
            fineTuner = restored;
        }
        return new Restored(epoch, fineTuner);
    }

    /**
     * Reads the model parameters of a checkpoint into the arrays the model already has.
     *
     * <p>{@code Block.loadParameters} replaces each parameter's array, but the DJL trainer's parameter
     * store cached the initial arrays in {@code Trainer.initialize}: training and evaluation would go on
     * with the initial values while the accounting read the restored ones. So the checkpoint is decoded
     * into a scratch manager, copied in place through the engine ({@link ParameterValues#assign}:
     * {@code w ← 0·w + w_saved}, exact for the finite values of a freshly initialised model) and each
     * parameter is pointed back at its live array.
     *
     * @param parts the freshly built model and its manager
     * @param in the encoded parameters
     * @return null
     * @throws IOException if the parameters do not fit the model
     */
    static Void restoreParametersInPlace(Parts parts, DataInputStream in) throws IOException {
        Block block = parts.block();
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
        List<NDArray> live = parameters.stream().map(p -> p.getValue().getArray()).toList();
        try (NDManager scratch = parts.manager().newSubManager()) {
            IOException fault = null;
            try {
                block.loadParameters(scratch, in);
            } catch (MalformedModelException | IOException e) {
                fault = new IOException("checkpoint model parameters do not fit the model: " + e.getMessage(), e);
            }
            for (int i = 0; i < parameters.size(); i++) {
                Parameter parameter = parameters.get(i).getValue();
                NDArray saved = parameter.getArray();
                NDArray target = live.get(i);
                if (saved == target) {
                    continue;
                }
                if (fault == null && (!saved.getShape().equals(target.getShape())
                        || saved.getDataType() != target.getDataType())) {
                    fault = new IOException("checkpoint parameter " + parameters.get(i).getKey() + " is "
                            + saved.getShape() + " " + saved.getDataType() + ", the model's is " + target.getShape()
                            + " " + target.getDataType());
                }
                if (fault == null) {
                    ParameterValues.assign(target, saved);
                }
                parameter.close();
                parameter.setShape(null);
                parameter.setArray(target);
            }
            if (fault != null) {
                throw fault;
            }
        }
        return null;
    }
}
