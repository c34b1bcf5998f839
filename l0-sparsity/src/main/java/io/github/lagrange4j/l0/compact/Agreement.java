package io.github.lagrange4j.l0.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * How closely a compacted model reproduces its gated original on a labelled data set, in inference mode:
 * {@code max |f_gated(x) − f_compact(x)|} over all examples and outputs, the examples with the same
 * {@code argmax}, and the examples each model classifies correctly.
 *
 * <p>Order of calls: {@link Compaction#compact} then {@link #measure} with the gated and compacted blocks.
 * A NaN anywhere makes {@link #maxAbsDifference()} NaN.
 *
 * @param maxAbsDifference the largest absolute output difference (NaN if an output is NaN)
 * @param sameArgmax the examples whose predicted classes agree
 * @param referenceCorrect the examples the reference model classifies correctly
 * @param candidateCorrect the examples the candidate model classifies correctly
 * @param examples the examples compared
 */
public record Agreement(double maxAbsDifference, long sameArgmax, long referenceCorrect, long candidateCorrect,
        long examples) {

    /** Validates the counts. */
    public Agreement {
        if (examples < 0 || sameArgmax < 0 || sameArgmax > examples || referenceCorrect < 0
                || referenceCorrect > examples || candidateCorrect < 0 || candidateCorrect > examples) {
            throw new IllegalArgumentException("counts must be in [0, examples = " + examples + "], got sameArgmax "
                    + sameArgmax + ", referenceCorrect " + referenceCorrect + ", candidateCorrect " + candidateCorrect);
        }
    }

    /**
     * Runs both blocks in inference mode on every batch and compares their outputs.
     *
     * @param reference the gated model
     * @param candidate the compacted model
     * @param batches {@code {inputs (B, ...), labels (B) as float class indices}} per batch; not modified
     * @param manager the manager under which a temporary sub-manager per batch holds the outputs
     * @return the agreement
     */
    public static Agreement measure(Block reference, Block candidate, List<NDArray[]> batches, NDManager manager) {
        double maxDiff = 0;
        long same = 0;
        long referenceRight = 0;
        long candidateRight = 0;
        long examples = 0;
        for (NDArray[] batch : batches) {
            try (NDManager scope = manager.newSubManager()) {
                scope.tempAttachAll(batch[0], batch[1]);
                NDArray a = reference.forward(new ParameterStore(scope, false), new NDList(batch[0]), false)
                        .singletonOrThrow();
                NDArray b = candidate.forward(new ParameterStore(scope, false), new NDList(batch[0]), false)
                        .singletonOrThrow();
                scope.tempAttachAll(a, b);
                float d = a.sub(b).abs().max().getFloat();
                maxDiff = Float.isNaN(d) || Double.isNaN(maxDiff) ? Double.NaN : Math.max(maxDiff, d);
                NDArray pa = a.argMax(1).toType(DataType.FLOAT32, false);
                NDArray pb = b.argMax(1).toType(DataType.FLOAT32, false);
                same += pa.eq(pb).sum().getLong();
                referenceRight += pa.eq(batch[1]).sum().getLong();
                candidateRight += pb.eq(batch[1]).sum().getLong();
                examples += batch[1].size();
            }
        }
        return new Agreement(maxDiff, same, referenceRight, candidateRight, examples);
    }

    /**
     * Returns the fraction of examples with the same predicted class.
     *
     * @return {@code sameArgmax / examples}
     */
    public double argmaxAgreement() {
        return (double) sameArgmax / examples;
    }

    /**
     * Returns the reference model's accuracy.
     *
     * @return {@code referenceCorrect / examples}
     */
    public double referenceAccuracy() {
        return (double) referenceCorrect / examples;
    }

    /**
     * Returns the candidate model's accuracy.
     *
     * @return {@code candidateCorrect / examples}
     */
    public double candidateAccuracy() {
        return (double) candidateCorrect / examples;
    }
}
