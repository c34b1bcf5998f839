package io.github.lagrange4j.training;

import io.github.lagrange4j.constrained.optim.OptimizerCheckpoint;
import io.github.lagrange4j.training.output.Checkpoint;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads the training state of a checkpoint of format version 1, written before checkpoints had sections: one
 * payload holding, in order (integers big-endian, {@code UTF} as {@code DataOutput.writeUTF}):
 *
 * <pre>
 * UTF      "lagrange4j-training-state"
 * int      payload version: 1, or 2 (since the fine-tuning phase)
 * int      epoch
 * ...      the model's parameters (DJL's {@code Block.saveParameters} encoding)
 * ...      the DJL trainer's StatefulAdam ({@code StatefulOptimizer.saveState}), saved on its own
 * ...      the constrained optimizer, {@code OptimizerCheckpoint} version 2 (whose primal block says "none":
 *          the trainer's optimizer was the line above)
 * boolean  payload version 2 only: fine-tuning, and if so the fine-tuning Adam's state
 * </pre>
 *
 * <p>Every error says it comes from a checkpoint of format version 1.
 */
final class TrainingStateV1 {

    private static final String PAYLOAD_MAGIC = "lagrange4j-training-state";

    private TrainingStateV1() {}

    static TrainingState.Restored restore(Checkpoint checkpoint, TrainingState.Parts parts,
            Supplier<FineTuner> newFineTuner) throws IOException {
        String where = checkpoint.file().getFileName() + " (checkpoint format version 1)";
        ByteArrayInputStream bytes = new ByteArrayInputStream(checkpoint.payload());
        try (DataInputStream in = new DataInputStream(bytes)) {
            if (!PAYLOAD_MAGIC.equals(in.readUTF())) {
                throw new IOException("not a lagrange4j training state");
            }
            int version = in.readInt();
            if (version != 1 && version != 2) {
                throw new IOException("training-state payload version " + version + " is not supported (1 or 2)");
            }
            int epoch = in.readInt();
            TrainingState.restoreParametersInPlace(parts, in);
            parts.trainerOptimizer().loadState(in, parts.manager());
            OptimizerCheckpoint.load(parts.optimizer(), in, parts.manager());
            FineTuner fineTuner = null;
            if (version >= 2 && in.readBoolean()) {
                fineTuner = newFineTuner.get();
                fineTuner.loadState(in, parts.manager());
            }
            if (bytes.available() > 0) {
                throw new IOException(bytes.available() + " bytes after the training state");
            }
            return new TrainingState.Restored(epoch, fineTuner);
        } catch (EOFException e) {
            throw new IOException(where + ": the payload ends before the training state does", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }
}
