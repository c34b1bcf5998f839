package io.github.lagrange4j.constrained.dual;

import java.util.Arrays;

/**
 * The state of a {@link DualOptimizer} for one constraint: named per-entry buffers (momentum,
 * Adam moments, nuPI's {@code xi}) and per-entry step counts, on the JVM (float64).
 *
 * <p>The record is a value container whose arrays the owning optimizer mutates in place entry by
 * entry; it is created by {@link DualOptimizer#init(int)} and saved/restored exactly by
 * checkpoints. It is never shared with the primal side.
 *
 * @param buffers {@code k} buffers of {@code size} values each
 * @param steps per-entry number of updates received
 */
public record DualOptimizerState(double[][] buffers, long[] steps) {

    /** Validates the shapes. */
    public DualOptimizerState {
        for (double[] b : buffers) {
            if (b.length != steps.length) {
                throw new IllegalArgumentException(
                        "every buffer must have " + steps.length + " entries, got " + b.length);
            }
        }
    }

    /**
     * Creates a zeroed state.
     *
     * @param numBuffers the number of buffers
     * @param size the number of constraint entries
     * @return the state
     */
    public static DualOptimizerState zeros(int numBuffers, int size) {
        return new DualOptimizerState(new double[numBuffers][size], new long[size]);
    }

    /**
     * Resets one entry: all buffers to 0 and its step count to 0 (used by dual restarts).
     *
     * @param index the entry
     */
    public void resetEntry(int index) {
        for (double[] b : buffers) {
            b[index] = 0;
        }
        steps[index] = 0;
    }

    /**
     * Returns a deep copy.
     *
     * @return the copy
     */
    public DualOptimizerState copy() {
        double[][] b = new double[buffers.length][];
        for (int i = 0; i < b.length; i++) {
            b[i] = buffers[i].clone();
        }
        return new DualOptimizerState(b, steps.clone());
    }

    /**
     * Overwrites this state with another of the same shape (checkpoint restore).
     *
     * @param other the source
     */
    public void load(DualOptimizerState other) {
        if (other.buffers.length != buffers.length || other.steps.length != steps.length) {
            throw new IllegalArgumentException(
                    "dual state shape mismatch: expected "
                            + buffers.length
                            + "x"
                            + steps.length
                            + ", got "
                            + other.buffers.length
                            + "x"
                            + other.steps.length);
        }
        for (int i = 0; i < buffers.length; i++) {
            System.arraycopy(other.buffers[i], 0, buffers[i], 0, steps.length);
        }
        System.arraycopy(other.steps, 0, steps, 0, steps.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DualOptimizerState s
                && Arrays.deepEquals(buffers, s.buffers)
                && Arrays.equals(steps, s.steps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(buffers) + Arrays.hashCode(steps);
    }

    @Override
    public String toString() {
        return "DualOptimizerState" + Arrays.deepToString(buffers) + Arrays.toString(steps);
    }
}
