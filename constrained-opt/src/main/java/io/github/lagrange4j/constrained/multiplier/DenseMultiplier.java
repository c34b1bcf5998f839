package io.github.lagrange4j.constrained.multiplier;

import io.github.lagrange4j.constrained.constraint.ConstraintState;

/**
 * Dense multipliers: one {@code lambda_i} per constraint entry, all observed on every step.
 *
 * <p>The constraint state must carry a violation with exactly {@link #size()} entries and no
 * indices. Update rule (applied by the dual optimizer): {@code lambda <- Pi(lambda + step)} with
 * {@code Pi} the projection onto {@code lambda >= 0} for inequalities.
 */
public final class DenseMultiplier extends Multiplier {

    /**
     * Creates dense multipliers.
     *
     * @param initial initial values, one per constraint entry
     */
    public DenseMultiplier(double[] initial) {
        super(initial);
    }

    @Override
    public MultiplierKind kind() {
        return MultiplierKind.DENSE;
    }

    @Override
    public int[] observedIndices(ConstraintState state) {
        if (state.constraintIndices() != null) {
            throw new IllegalArgumentException(
                    "constraintIndices are only allowed with an INDEXED multiplier; this one is DENSE");
        }
        long n = state.violation().size();
        if (n != size()) {
            throw new IllegalArgumentException(
                    "violation must have " + size() + " entries for this dense multiplier, got " + n);
        }
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
