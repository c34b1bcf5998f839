package io.github.lagrange4j.constrained.dual;

import java.util.Arrays;

/**
 * The state of a {@link DualOptimizer} for one constraint: {@code k} named per-entry buffers (momentum,
 * Adam moments, nuPI's {@code xi}) and per-entry step counts, on the JVM (float64).
 *
 * <p>Encapsulation: no array is handed out. Everybody may read ({@link #value}, {@link #stepCount},
 * {@link #copyOfBuffers()}, {@link #copyOfSteps()}); only the dual optimizer owning the state writes it,
 * inside {@link DualOptimizer#increments} ({@link #setValue}, {@link #incrementStepCount}); the
 * constrained optimizer resets entries on a dual restart ({@link #resetEntry}) and restores checkpoints
 * ({@link #load}). {@code ConstrainedOptimizer.dualState} hands out snapshots, so nothing outside those
 * callers can reach a live state. Reads and writes are element accesses on arrays kept inside: no copy
 * on the per-step path.
 *
 * <p>Order of calls: {@link DualOptimizer#init(int)} creates it, each step's {@code increments} advances
 * it, checkpoints save {@link #copy()} and restore with {@link #load}.
 */
public final class DualOptimizerState {

    private final double[][] buffers;
    private final long[] steps;

    /** Wraps arrays without copying them (for {@link #zeros} and the views of this package). */
    private DualOptimizerState(double[][] buffers, long[] steps, boolean validate) {
        if (validate) {
            for (double[] b : buffers) {
                if (b.length != steps.length) {
                    throw new IllegalArgumentException(
                            "every buffer must have " + steps.length + " entries, got " + b.length);
                }
            }
        }
        this.buffers = buffers;
        this.steps = steps;
    }

    /**
     * Creates a state holding copies of the given values (e.g. read from a checkpoint).
     *
     * @param buffers {@code k} buffers of {@code size} values each (copied)
     * @param steps per-entry number of updates received (copied)
     * @return the state
     * @throws IllegalArgumentException if a buffer's length differs from {@code steps.length}
     */
    public static DualOptimizerState of(double[][] buffers, long[] steps) {
        double[][] b = new double[buffers.length][];
        for (int i = 0; i < b.length; i++) {
            b[i] = buffers[i].clone();
        }
        return new DualOptimizerState(b, steps.clone(), true);
    }

    /**
     * Creates a zeroed state.
     *
     * @param numBuffers the number of buffers
     * @param size the number of constraint entries
     * @return the state
     */
    public static DualOptimizerState zeros(int numBuffers, int size) {
        return new DualOptimizerState(new double[numBuffers][size], new long[size], false);
    }

    /**
     * Returns a new state with this state's buffers (copied), one more zeroed buffer after them, and
     * its step counts (copied).
     *
     * @return the extended state
     */
    DualOptimizerState withExtraBuffer() {
        double[][] b = new double[buffers.length + 1][];
        for (int i = 0; i < buffers.length; i++) {
            b[i] = buffers[i].clone();
        }
        b[buffers.length] = new double[steps.length];
        return new DualOptimizerState(b, steps.clone(), false);
    }

    /**
     * Returns a live view of the first {@code numBuffers() - 1} buffers and the step counts, sharing this
     * state's arrays (writes through the view change this state): how a wrapping optimizer hands its
     * inner optimizer the inner part of the state.
     *
     * @return the view
     */
    DualOptimizerState withoutLastBuffer() {
        return new DualOptimizerState(Arrays.copyOf(buffers, buffers.length - 1), steps, false);
    }

    /**
     * Returns the number of buffers.
     *
     * @return {@code k}
     */
    public int numBuffers() {
        return buffers.length;
    }

    /**
     * Returns the number of constraint entries.
     *
     * @return the size
     */
    public int size() {
        return steps.length;
    }

    /**
     * Reads one buffer entry.
     *
     * @param buffer the buffer, in {@code [0, numBuffers())}
     * @param index the entry, in {@code [0, size())}
     * @return its value
     */
    public double value(int buffer, int index) {
        return buffers[buffer][index];
    }

    /**
     * Writes one buffer entry; for the owning {@link DualOptimizer}, inside {@code increments}.
     *
     * @param buffer the buffer, in {@code [0, numBuffers())}
     * @param index the entry, in {@code [0, size())}
     * @param value the new value
     */
    public void setValue(int buffer, int index, double value) {
        buffers[buffer][index] = value;
    }

    /**
     * Reads the number of updates an entry received.
     *
     * @param index the entry
     * @return its step count
     */
    public long stepCount(int index) {
        return steps[index];
    }

    /**
     * Counts one update of an entry; for the owning {@link DualOptimizer}, inside {@code increments}.
     *
     * @param index the entry
     * @return the new step count
     */
    public long incrementStepCount(int index) {
        return ++steps[index];
    }

    /**
     * Returns copies of the buffers.
     *
     * @return {@code k} arrays of {@code size} values, owned by the caller
     */
    public double[][] copyOfBuffers() {
        double[][] b = new double[buffers.length][];
        for (int i = 0; i < b.length; i++) {
            b[i] = buffers[i].clone();
        }
        return b;
    }

    /**
     * Returns a copy of the step counts.
     *
     * @return one count per entry, owned by the caller
     */
    public long[] copyOfSteps() {
        return steps.clone();
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
     * Returns a deep copy (a snapshot that later steps do not change).
     *
     * @return the copy
     */
    public DualOptimizerState copy() {
        return new DualOptimizerState(copyOfBuffers(), steps.clone(), false);
    }

    /**
     * Overwrites this state with another of the same shape (checkpoint restore).
     *
     * @param other the source
     * @throws IllegalArgumentException if the shapes differ
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
