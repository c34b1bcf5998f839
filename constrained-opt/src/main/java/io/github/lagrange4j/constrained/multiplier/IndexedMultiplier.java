package io.github.lagrange4j.constrained.multiplier;

import io.github.lagrange4j.constrained.constraint.ConstraintState;
import java.util.HashSet;
import java.util.Set;

/**
 * Indexed multipliers: one {@code lambda_i} per constraint index, of which a step observes only
 * those listed in {@link ConstraintState#constraintIndices()}; only observed entries change.
 *
 * <p>Update rule: {@code lambda[idx] <- Pi(lambda[idx] + step[idx])}, all other entries untouched
 * (Cooper's {@code IndexedMultiplier}, Gallego-Posada et al., "Cooper: a library for constrained
 * optimization in deep learning", 2025). Indices in one state must be distinct and in {@code [0,
 * size)}.
 */
public final class IndexedMultiplier extends Multiplier {

    /**
     * Creates indexed multipliers.
     *
     * @param initial initial values, one per constraint index
     */
    public IndexedMultiplier(double[] initial) {
        super(initial);
    }

    @Override
    public MultiplierKind kind() {
        return MultiplierKind.INDEXED;
    }

    @Override
    public int[] observedIndices(ConstraintState state) {
        if (state.constraintIndices() == null) {
            throw new IllegalArgumentException(
                    "an INDEXED multiplier needs constraintIndices in the ConstraintState");
        }
        long[] raw = state.constraintIndices().toType(ai.djl.ndarray.types.DataType.INT64, false)
                .toLongArray();
        int[] idx = new int[raw.length];
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < raw.length; j++) {
            if (raw[j] < 0 || raw[j] >= size()) {
                throw new IllegalArgumentException(
                        "constraintIndices must be in [0, " + size() + "), got " + raw[j]);
            }
            idx[j] = (int) raw[j];
            if (!seen.add(idx[j])) {
                throw new IllegalArgumentException(
                        "constraintIndices must be distinct, " + raw[j] + " repeats");
            }
        }
        return idx;
    }
}
