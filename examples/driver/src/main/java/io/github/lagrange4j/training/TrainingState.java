package io.github.lagrange4j.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.optim.OptimizerCheckpoint;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The whole training state of a run after an epoch, as the payload of its checkpoint (which
 * {@link io.github.lagrange4j.training.output.CheckpointStore} frames, hashes and writes atomically): a magic
 * string and version, the epoch, the model parameters, the primal optimizer's state, the constrained
 * optimizer's (multipliers, dual-optimizer and penalty state, counters) and, within the fine-tuning phase, the
 * fine-tuning optimizer's. Version 1 was written before the fine-tuning phase existed and still loads.
 */
final class TrainingState {

    private static final String PAYLOAD_MAGIC = "lagrange4j-training-state";
    private static final int PAYLOAD_VERSION = 2;

    private TrainingState() {}

    /**
     * Serialises the whole training state after an epoch.
     *
     * @param trainer the trainer
     * @param epoch the completed epoch
     * @return the checkpoint payload
     * @throws IOException on a write failure
     */
    static byte[] snapshot(SparsityTrainer trainer, FineTuner fineTuner, int epoch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(PAYLOAD_MAGIC);
            out.writeInt(PAYLOAD_VERSION);
            out.writeInt(epoch);
            trainer.model().getBlock().saveParameters(out);
            trainer.primalOptimizer().saveState(out);
            OptimizerCheckpoint.save(trainer.constrainedOptimizer(), out);
            out.writeBoolean(fineTuner != null);
            if (fineTuner != null) {
                fineTuner.saveState(out);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Restores a training state.
     *
     * @param trainer a freshly built trainer with the same settings
     * @param payload the checkpoint payload (version 1, written before the fine-tuning phase existed, or 2)
     * @return the completed epoch it holds and, within the fine-tuning phase, the restored fine-tuner
     * @throws IOException if the payload does not fit
     */
    static Restored restore(SparsityTrainer trainer, byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (!PAYLOAD_MAGIC.equals(in.readUTF())) {
                throw new IOException("not a lagrange4j training checkpoint");
            }
            int version = in.readInt();
            if (version != 1 && version != PAYLOAD_VERSION) {
                throw new IOException("lagrange4j training checkpoint version " + version + " is not supported (1 or "
                        + PAYLOAD_VERSION + ")");
            }
            int epoch = in.readInt();
            restoreParametersInPlace(trainer, in);
            trainer.primalOptimizer().loadState(in, trainer.manager());
            OptimizerCheckpoint.load(trainer.constrainedOptimizer(), in, trainer.manager());
            FineTuner fineTuner = null;
            if (version >= 2 && in.readBoolean()) {
                fineTuner = new FineTuner(trainer);
                fineTuner.loadState(in, trainer.manager());
            }
            return new Restored(epoch, fineTuner);
        }
    }

    /**
     * A restored training state.
     *
     * @param epoch the completed epoch
     * @param fineTuner the fine-tuning phase's optimizer, or null before the phase
     */
    record Restored(int epoch, FineTuner fineTuner) {}

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
     * @param trainer the freshly built trainer
     * @param in the payload, positioned at the model parameters
     * @throws IOException if the parameters do not fit the model
     */
    private static void restoreParametersInPlace(SparsityTrainer trainer, DataInputStream in) throws IOException {
        Block block = trainer.model().getBlock();
        List<Pair<String, Parameter>> parameters = block.getParameters().stream().toList();
        List<NDArray> live = parameters.stream().map(p -> p.getValue().getArray()).toList();
        try (NDManager scratch = trainer.manager().newSubManager()) {
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
    }
}
