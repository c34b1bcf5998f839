package io.github.lagrange4j.constrained.multiplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import java.util.Arrays;

/**
 * The Lagrange multipliers {@code lambda} of one constraint (scalar or vector).
 *
 * <p>Storage: the values live on the JVM as {@code double[]} (float64), not in native memory.
 * Multipliers are few (one per constraint) and are updated without autograd ({@code lambda <-
 * lambda + eta * violation}), so a JVM array makes the dual update exact and engine-independent,
 * needs no {@link NDManager} when the constraint is built, and can never leak native memory.
 * Each step, {@link #gather(NDManager, int[], DataType, Shape)} materialises the observed
 * multipliers as a constant NDArray in the caller's (step) manager, in the violation's data type.
 *
 * <p>Projection (Cooper's convention): after every dual step the multipliers of an inequality are
 * projected onto {@code lambda >= 0} by {@link #projectNonNegative(int[])}; equality multipliers
 * are free.
 *
 * <p>Not thread-safe: one optimizer updates it, once per step.
 */
public abstract sealed class Multiplier permits DenseMultiplier, IndexedMultiplier {

    private final double[] initial;
    private final double[] values;

    /**
     * Creates multipliers with the given initial values.
     *
     * @param initial the initial values, one per constraint entry (copied)
     */
    protected Multiplier(double[] initial) {
        if (initial.length == 0) {
            throw new IllegalArgumentException("multiplier size must be >= 1, got 0");
        }
        for (double v : initial) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "initial multiplier values must be finite, got " + v);
            }
        }
        this.initial = initial.clone();
        this.values = initial.clone();
    }

    /**
     * Returns how this multiplier is addressed.
     *
     * @return the kind
     */
    public abstract MultiplierKind kind();

    /**
     * Returns the indices (into this multiplier) that a constraint state observes, entry by entry.
     *
     * @param state the state of this step
     * @return one index per violation entry
     * @throws IllegalArgumentException if the state does not fit this multiplier
     */
    public abstract int[] observedIndices(ConstraintState state);

    /**
     * Returns the number of multipliers.
     *
     * @return the size
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns a copy of all multiplier values.
     *
     * @return the values
     */
    public double[] values() {
        return values.clone();
    }

    /**
     * Returns one multiplier value.
     *
     * @param index the index, in {@code [0, size)}
     * @return {@code lambda[index]}
     */
    public double value(int index) {
        return values[index];
    }

    /**
     * Returns the values at the given indices.
     *
     * @param indices the indices
     * @return {@code lambda[indices]}
     */
    public double[] values(int[] indices) {
        double[] out = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = values[indices[j]];
        }
        return out;
    }

    /**
     * Sets one multiplier value (used by dual updates and restarts).
     *
     * @param index the index
     * @param value the new value, finite
     */
    public void set(int index, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException(
                    "multiplier " + index + " became non-finite (" + value + ")");
        }
        values[index] = value;
    }

    /**
     * Projects the given entries onto {@code lambda >= 0}: {@code lambda_i <- max(0, lambda_i)}.
     *
     * @param indices the entries to project
     */
    public void projectNonNegative(int[] indices) {
        for (int i : indices) {
            values[i] = Math.max(0.0, values[i]);
        }
    }

    /** Resets every multiplier to its initial value. */
    public void reset() {
        System.arraycopy(initial, 0, values, 0, values.length);
    }

    /**
     * Overwrites all values (used by checkpoint restore).
     *
     * @param newValues the values, exactly {@link #size()} of them
     */
    public void load(double[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException(
                    "expected " + values.length + " multiplier values, got " + newValues.length);
        }
        System.arraycopy(newValues, 0, values, 0, values.length);
    }

    /**
     * Returns the multipliers of the given entries as float32, each rounded to nearest as the engine's
     * conversion rounds: the values a float32 violation's term multiplies by, in the graph ({@link #gather}) or
     * in closed form.
     *
     * @param indices the observed indices
     * @return {@code (float) lambda[indices]}
     */
    public float[] floatValues(int[] indices) {
        double[] v = values(indices);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * Materialises the observed multipliers as a constant NDArray.
     *
     * @param manager the manager that will own the returned array (the caller closes it)
     * @param indices the observed indices
     * @param dataType the data type (that of the violation)
     * @param shape the shape (that of the violation)
     * @return {@code lambda[indices]}, not requiring gradient, owned by {@code manager}
     */
    public NDArray gather(NDManager manager, int[] indices, DataType dataType, Shape shape) {
        if (dataType == DataType.FLOAT32) {
            // rounded in Java: one operation less per step
            return manager.create(floatValues(indices), shape);
        }
        NDArray a = manager.create(values(indices), shape);
        return a.getDataType() == dataType ? a : a.toType(dataType, false);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + Arrays.toString(values);
    }
}
