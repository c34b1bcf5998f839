package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The gradient of a 2-D parameter {@code w (rows, n)} given by its non-zero columns only: {@code ∂L/∂w[:, c_i] =
 * values[:, i]} for the columns {@code c_0 < c_1 < … < c_{k−1}}, and {@code 0} in every other column.
 *
 * <p>A layer that computes its forward pass over some of the weight's columns (the live input features of a
 * gated layer, say) gets exactly this from back-propagation: a {@code (rows, k)} array. Handing it to the
 * optimizer as it is spares the full-size gradient the engine would otherwise build every step (a zero array of
 * {@code w}'s shape, the columns scattered into it, the sum into {@code w}'s gradient, and the optimizer's read
 * of all of it). The optimizer still updates every element of {@code w}, with {@code 0} as the gradient of the
 * other columns, so the update is the one the full gradient gives.
 *
 * <p>A source may also hand over a full gradient in this form ({@link #full}), when it could not keep the
 * columns apart (two passes with different columns before one step, say).
 */
public final class ColumnGradient implements AutoCloseable {

    private final NDArray values;
    private final int[] columns;
    private final long columnsTotal;
    private final boolean zeroOwnGradient;
    private final AutoCloseable[] owned;
    /** Where the optimizer adds {@code Σ_i g_ik w_ik} per column (see {@link #withColumnDots}), or null. */
    private float[] columnDots;

    private ColumnGradient(NDArray values, int[] columns, long columnsTotal, boolean zeroOwnGradient,
            AutoCloseable[] owned) {
        this.values = values;
        this.columns = columns;
        this.columnsTotal = columnsTotal;
        this.zeroOwnGradient = zeroOwnGradient;
        this.owned = owned;
    }

    /**
     * The gradient of a parameter with {@code columnsTotal} columns that is zero outside the given ones.
     *
     * @param values the gradient of the given columns, {@code (rows, k)}
     * @param columns the {@code k} columns, distinct and ascending in {@code [0, columnsTotal)}
     * @param columnsTotal the parameter's number of columns
     * @param owned what {@link #close()} closes (e.g. the values), possibly none
     * @return the column gradient
     * @throws IllegalArgumentException if the shapes or the columns do not fit
     */
    public static ColumnGradient of(NDArray values, int[] columns, long columnsTotal, AutoCloseable... owned) {
        Shape vs = values.getShape();
        if (vs.dimension() != 2 || vs.get(1) != columns.length) {
            throw new IllegalArgumentException("a column gradient needs values (rows, k) for its k = "
                    + columns.length + " columns, got values " + vs);
        }
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] < 0 || columns[i] >= columnsTotal || (i > 0 && columns[i] <= columns[i - 1])) {
                throw new IllegalArgumentException("columns must be ascending in [0, " + columnsTotal + "), got "
                        + columns[i] + " at position " + i);
            }
        }
        return new ColumnGradient(values, columns.clone(), columnsTotal, false, owned.clone());
    }

    /**
     * A full gradient handed over in this form.
     *
     * @param values the whole gradient, of the parameter's shape
     * @param zeroOwnGradient whether the parameter's own gradient array holds part of it and must be zeroed
     *     after the update (as after any update from that array)
     * @param owned what {@link #close()} closes, possibly none
     * @return the column gradient covering every column
     */
    public static ColumnGradient full(NDArray values, boolean zeroOwnGradient, AutoCloseable... owned) {
        return new ColumnGradient(values, null, values.getShape().get(values.getShape().dimension() - 1),
                zeroOwnGradient, owned.clone());
    }

    /**
     * Returns whether this covers every column (then {@link #values()} is the whole gradient).
     *
     * @return true for a full gradient
     */
    public boolean isFull() {
        return columns == null;
    }

    /**
     * Returns the values: {@code (rows, k)} for the columns, or the whole gradient if {@link #isFull()}.
     *
     * @return the values
     */
    public NDArray values() {
        return values;
    }

    /**
     * Returns the non-zero columns in ascending order.
     *
     * @return a copy of the columns (null if {@link #isFull()})
     */
    public int[] columns() {
        return columns == null ? null : columns.clone();
    }

    /** The columns without a copy, for the optimizers of this package. */
    int[] columnsView() {
        return columns;
    }

    /**
     * Returns the parameter's number of columns.
     *
     * @return the columns of the parameter
     */
    public long columnsTotal() {
        return columnsTotal;
    }

    /**
     * Returns whether the parameter's own gradient array holds part of this gradient and must be zeroed after
     * the update.
     *
     * @return true if the updater must zero the parameter's gradient
     */
    public boolean zeroOwnGradient() {
        return zeroOwnGradient;
    }

    /**
     * Asks the optimizer that takes this gradient to add, for each of its columns {@code k}, {@code Σ_i g_ik ·
     * w_ik} into {@code sink[k]}: the gradient as handed over and the parameter's values before the update (for a
     * weight used as {@code W diag(s)}, {@code s_k} times the gradient of the column scale {@code s_k}). A pass that
     * reads both anyway computes it on the way ({@code StatefulAdam}'s single pass); otherwise it is computed
     * before the update.
     *
     * @param sink one float per column of this gradient ({@link #columns()}, or all columns when full), added to
     * @return this column gradient
     * @throws IllegalArgumentException if the sink has another length
     */
    public ColumnGradient withColumnDots(float[] sink) {
        int k = columns == null ? Math.toIntExact(columnsTotal) : columns.length;
        if (sink == null || sink.length != k) {
            throw new IllegalArgumentException("the column dots need one float per column (" + k + "), got "
                    + (sink == null ? "null" : sink.length));
        }
        this.columnDots = sink;
        return this;
    }

    /**
     * Returns the sink of {@link #withColumnDots}, or null.
     *
     * @return the sink, shared
     */
    public float[] columnDots() {
        return columnDots;
    }

    /**
     * Adds {@code Σ_i g_ik w_ik} into the column-dot sink, reading the values and {@code weight} (the parameter,
     * before its update) through the engine; does nothing without a sink. The optimizer calls it when its update
     * does not compute them on the way.
     *
     * @param weight the parameter, {@code (rows, columnsTotal)}
     */
    public void addColumnDots(NDArray weight) {
        if (columnDots == null) {
            return;
        }
        float[] g = values.toFloatArray();
        float[] w = weight.toFloatArray();
        int cols = Math.toIntExact(columnsTotal);
        int k = columnDots.length;
        int rows = g.length / k;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                columnDots[j] += g[r * k + j] * w[r * cols + (columns == null ? j : columns[j])];
            }
        }
    }

    /**
     * Adds {@code Σ_i g_ik w_ik} of the given columns into {@code dots} from two arrays of the same shape {@code
     * (rows, k)}: a column gradient's values and the weight's live columns (a copy, read before the update), so
     * that the optimizer need not form them on its pass over the whole weight. The products are added row by
     * row with a fused multiply-add, as the optimizer's pass adds them (one SIMD pass where the JVM and the arrays
     * allow it, element by element otherwise).
     *
     * @param values the columns' gradient, {@code (rows, k)} float32
     * @param liveWeights the weight's values in those columns, the same shape
     * @param dots {@code k} floats, added to
     * @throws IllegalArgumentException if the shapes differ or do not fit {@code dots}
     */
    public static void addLiveColumnDots(NDArray values, NDArray liveWeights, float[] dots) {
        Shape s = values.getShape();
        if (s.dimension() != 2 || !s.equals(liveWeights.getShape()) || s.get(1) != dots.length) {
            throw new IllegalArgumentException("live column dots need values and live weights of one shape (rows, "
                    + dots.length + "), got " + s + " and " + liveWeights.getShape());
        }
        int rows = Math.toIntExact(s.get(0));
        if (VectorApi.usable() && values.getDataType() == DataType.FLOAT32
                && liveWeights.getDataType() == DataType.FLOAT32) {
            // read only: the array's memory or a contiguous copy of it read the same (nothing to verify)
            java.nio.ByteBuffer g = values.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder());
            java.nio.ByteBuffer w = liveWeights.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder());
            VectorColumnDots.add(g, w, rows, dots);
            return;
        }
        float[] g = values.toFloatArray();
        float[] w = liveWeights.toFloatArray();
        int k = dots.length;
        float[] sums = new float[k];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                sums[j] = Math.fma(g[r * k + j], w[r * k + j], sums[j]);
            }
        }
        for (int j = 0; j < k; j++) {
            dots[j] += sums[j];
        }
    }

    /**
     * Returns the gradient at full size, {@code (rows, columnsTotal)}, zero outside the columns: a new array
     * (the caller closes it, e.g. with an {@code NDScope}), or the values themselves if {@link #isFull()}.
     *
     * @return the full gradient
     */
    public NDArray dense() {
        if (columns == null) {
            return values;
        }
        NDManager manager = values.getManager();
        NDArray out = manager.zeros(new Shape(values.getShape().get(0), columnsTotal), values.getDataType(),
                values.getDevice());
        long[] index = new long[columns.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = columns[i];
        }
        try (NDArray host = manager.create(index); NDArray at = host.toDevice(values.getDevice(), true)) {
            out.set(new NDIndex(":, {}", at), values);
        }
        return out;
    }

    /** Closes what this column gradient was given to own. */
    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + c, e);
            }
        }
    }
}
