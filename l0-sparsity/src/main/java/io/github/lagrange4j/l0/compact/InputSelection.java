package io.github.lagrange4j.l0.compact;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Keeps the listed features of a {@code (batch, features)} input: {@code y[:, j] = x[:, indices[j]]}.
 *
 * <p>Used by compaction in front of each dense layer whose kept inputs are a subset of what reaches
 * it (dropped input pixels; flattened positions of a dense layer after a convolution). It has no
 * parameters; the indices are block metadata, saved and loaded with the model, so a fresh {@code
 * InputSelection} (any indices) can load a saved one. A selection that keeps every input in order
 * passes its input through unchanged (the same array).
 */
public class InputSelection extends AbstractBlock {

    private static final byte VERSION = 1;

    private long[] indices;

    /**
     * Creates a selection.
     *
     * @param indices the kept feature indices, each {@code ≥ 0}
     */
    public InputSelection(long[] indices) {
        super(VERSION);
        for (long i : indices) {
            if (i < 0) {
                throw new IllegalArgumentException("indices must be >= 0, got " + i);
            }
        }
        this.indices = indices.clone();
    }

    /**
     * Returns the kept feature indices.
     *
     * @return a copy of the indices
     */
    public long[] indices() {
        return indices.clone();
    }

    /** Replaces the indices (compaction fills a skeleton's selections). */
    void setIndices(long[] newIndices) {
        this.indices = newIndices.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (isIdentity(x.getShape().get(1))) {
            return new NDList(x);
        }
        NDArray idx = x.getManager().create(indices);
        return new NDList(x.get(new NDIndex(":, {}", idx)));
    }

    /**
     * Tells whether this selection keeps every one of {@code width} features in order.
     *
     * @param width the number of input features
     * @return true if {@code indices = 0, 1, …, width − 1}
     */
    public boolean isIdentity(long width) {
        if (indices.length != width) {
            return false;
        }
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] != j) {
                return false;
            }
        }
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), indices.length)};
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(indices.length);
        for (long i : indices) {
            os.writeLong(i);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "Unsupported InputSelection encoding version: " + loadVersion);
        }
        readInputShapes(is);
        long[] loaded = new long[is.readInt()];
        for (int j = 0; j < loaded.length; j++) {
            loaded[j] = is.readLong();
        }
        indices = loaded;
    }
}
