package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.lagrange4j.constrained.primal.ColumnGradient;
import io.github.lagrange4j.constrained.primal.ColumnGradientSource;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlphaInitializer;
import io.github.lagrange4j.l0.gate.ManagedArrays;

/**
 * A dense layer gated on its input neurons: {@code y = (x ⊙ z) Wᵀ + b}, one hard-concrete gate per
 * input feature (Louizos et al., 2018, L0Dense).
 *
 * <p>A dead gate switches off a whole input column of {@code W} ({@code units} weights); the bias is
 * not gated. In training, {@code z} is a fresh sample (one per batch multiplying the columns of
 * {@code W}, or one per example multiplying {@code x}); in inference the deterministic gate ẑ
 * multiplies the columns of {@code W}. With one sample per batch and a 2-D input, a sample with at most
 * {@link #SPARSE_COMPUTE_LIVE_FRACTION} of the gates non-zero computes {@code y = x[:, live] (W[:, live] ⊙
 * z[live])ᵀ + b} over the live columns only ({@link #setSparseCompute}); so does inference with the deterministic
 * gates (at a budget most of them are exactly 0: the same products, summed in another order). Parameters:
 * {@code weight (units, in)} (He normal, optionally divided by {@code 1 − d}), {@code bias (units)} (zeros) and
 * {@code log_alpha (in)} (see {@link LogAlphaInitializer}). Input: {@code (batch, …, in)}; output {@code (batch,
 * …, units)}.
 */
public class L0Linear extends GatedBlock implements ColumnGradientSource {

    private static final byte VERSION = 1;

    private final long units;
    private long inputFeatures;
    private final java.util.concurrent.atomic.LongAdder sparseForwards = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder sparseInferences = new java.util.concurrent.atomic.LongAdder();
    /** Set when the engine has no {@code gather} along an axis: live columns then come from {@link #columns}. */
    private volatile boolean gatherUnsupported;
    /** Whether sparse passes hand the weight's gradient out by columns ({@link #setColumnGradients}). */
    private volatile boolean columnGradients;
    /** The live-column weights of the sparse training passes since the weight's gradient was last taken. */
    private final java.util.List<LiveColumns> pendingColumns = new java.util.ArrayList<>();
    /** Whether a dense training pass has used the weight since its gradient was last taken. */
    private boolean densePassSinceTake;

    /**
     * How many sparse training passes may leave their column gradient untaken before a pass fails: a loop that
     * never takes them (DJL's {@code Trainer.step()} with {@link #setColumnGradients} on) would otherwise train
     * the weight without its gradient.
     */
    static final int MAX_PENDING_COLUMN_GRADIENTS = 64;

    /**
     * A sparse pass's live columns {@code w[:, columns]}: a leaf of the autograd graph, owned by this block (no
     * manager or scope closes it) until its gradient is taken.
     */
    private record LiveColumns(NDArray weights, int[] columns) {}

    L0Linear(Builder builder) {
        super(VERSION, builder.gateConfig());
        units = builder.units;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager manager = x.getManager();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        NDArray la = parameterStore.getValue(logAlpha, x.getDevice(), training);
        HardConcrete hc = gateConfig.hardConcrete();
        if (!training) {
            NDArray z = hc.deterministic(la, gateConfig.testTimeGate(), manager);
            NDArray index = isSparseCompute() ? liveIndex(z, x) : null;
            if (index != null) {
                // deterministic gates at 0 contribute exact zeros: x[:, live] · (W[:, live] ⊙ z[live])ᵀ
                sparseInferences.increment();
                return Linear.linear(liveColumns(x, index), liveColumns(w, index).mul(z.get(index)), b);
            }
            w = z.mul(w);
        } else if (gateConfig.sampling() == GateSampling.PER_BATCH) {
            NDArray z = batchSample(la, manager);
            NDArray index = isSparseCompute() ? liveIndex(z, x) : null;
            if (index != null) {
                // only the live input columns: (batch, k) x (units, k)^T; dead columns' gradients stay 0
                sparseForwards.increment();
                NDArray wLive = columnGradients ? detachedLiveColumns(w, index) : null;
                if (wLive == null) {
                    wLive = liveColumns(w, index);
                }
                return Linear.linear(liveColumns(x, index), wLive.mul(z.get(index)), b);
            }
            if (columnGradients) {
                synchronized (pendingColumns) {
                    densePassSinceTake = true;
                }
            }
            w = z.mul(w);
        } else {
            long[] dims = new long[x.getShape().dimension()];
            java.util.Arrays.fill(dims, 1L);
            dims[0] = x.getShape().get(0);
            dims[dims.length - 1] = inputFeatures;
            x = hc.sample(la, manager, new Shape(dims)).mul(x);
        }
        return Linear.linear(x, w, b);
    }

    /** The live input columns of z ({@link #liveGroups}) for a 2-D input, otherwise null. */
    private NDArray liveIndex(NDArray z, NDArray x) {
        return x.getShape().dimension() == 2 ? liveGroups(z, x.getManager()) : null;
    }

    /**
     * Returns the live columns {@code a[:, index]} of a 2-D array (the weight, or the input) as a gather along
     * axis 1 with the index broadcast over the rows: its backward scatters the {@code (rows, k)} gradient into
     * a contiguous zero array of {@code a}'s shape, which the engine then adds to the weight's gradient (or
     * passes to the layer below) in memory order. The gathered rows of the transpose ({@link #columns}) give
     * the same values, but their backward writes a transposed gradient: the layer's training step took 0.81x
     * the time with the gather for the first layer of the paper MLP, 0.94x for the second (whose input needs a
     * gradient), in isolation. Engines without a gather ({@code UnsupportedOperationException}) use {@link
     * #columns}.
     */
    private NDArray liveColumns(NDArray a, NDArray index) {
        if (!gatherUnsupported) {
            long rows = a.getShape().get(0);
            NDArray broadcastIndex = index.reshape(1, -1).broadcast(new Shape(rows, index.getShape().get(0)));
            try {
                return a.gather(broadcastIndex, 1);
            } catch (UnsupportedOperationException e) {
                gatherUnsupported = true;
            }
        }
        return columns(a, index);
    }

    /**
     * Returns the live columns {@code w[:, index]} as a new leaf of the autograd graph, recorded to be handed to
     * the optimizer as a {@link ColumnGradient} after the backward pass; null where the engine has no gather.
     */
    private NDArray detachedLiveColumns(NDArray w, NDArray index) {
        if (gatherUnsupported) {
            return null;
        }
        NDArray live;
        try (NDArray detached = w.stopGradient()) {
            live = liveColumns(detached, index);
        }
        if (gatherUnsupported) {
            return null;
        }
        long[] at = index.toLongArray();
        int[] columns = new int[at.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = (int) at[i];
        }
        live.setRequiresGradient(true);
        // the pass's scope (and manager) would close it before the optimizer step: the block keeps it until then
        NDScope.unregister(live);
        live.detach();
        synchronized (pendingColumns) {
            if (pendingColumns.size() >= MAX_PENDING_COLUMN_GRADIENTS) {
                live.close();
                throw new IllegalStateException(getClass().getSimpleName() + ": " + pendingColumns.size()
                        + " training passes left their weight gradient by columns and no optimizer took it:"
                        + " with column gradients on (setColumnGradients), update through an optimizer that"
                        + " takes them (TrainerPrimalOptimizer with a StatefulOptimizer) or turn them off");
            }
            pendingColumns.add(new LiveColumns(live, columns));
        }
        return live;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When on, a sparse training pass ({@link #setSparseCompute}) computes with a copy of the live columns
     * {@code w[:, live]} that is a leaf of the autograd graph, so back-propagation leaves the weight's gradient
     * as a {@code (units, k)} array and never builds it at full size; the weight's own gradient array is not
     * touched. Off by default: {@link io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer} turns it on
     * for its model when its optimizer takes column gradients.
     */
    @Override
    public void setColumnGradients(boolean enabled) {
        columnGradients = enabled;
        if (!enabled) {
            synchronized (pendingColumns) {
                pendingColumns.forEach(c -> c.weights().close());
                pendingColumns.clear();
                densePassSinceTake = false;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean isColumnGradients() {
        return columnGradients;
    }

    /**
     * {@inheritDoc}
     *
     * <p>For the weight, after one sparse pass (and no dense one): the live columns' gradient. After several
     * passes, or sparse and dense ones: their sum at full size, the weight's own gradient array included (and
     * marked to be zeroed).
     */
    @Override
    public ColumnGradient takeColumnGradient(Parameter parameter) {
        if (parameter != weight) {
            return null;
        }
        java.util.List<LiveColumns> taken;
        boolean dense;
        synchronized (pendingColumns) {
            taken = new java.util.ArrayList<>(pendingColumns);
            pendingColumns.clear();
            dense = densePassSinceTake;
            densePassSinceTake = false;
        }
        if (taken.isEmpty()) {
            return null;
        }
        if (taken.size() == 1 && !dense) {
            LiveColumns only = taken.get(0);
            NDArray g = only.weights().getGradient();
            return ColumnGradient.of(g, only.columns(), inputFeatures, g, only.weights());
        }
        // several passes (or sparse and dense ones) before one update: their sum at full size
        NDArray sum = null;
        for (LiveColumns c : taken) {
            try (NDArray g = c.weights().getGradient();
                    ColumnGradient part = ColumnGradient.of(g, c.columns(), inputFeatures, c.weights())) {
                NDArray full = part.dense();
                if (sum == null) {
                    sum = full;
                } else {
                    sum.addi(full);
                    full.close();
                }
            }
        }
        if (dense) {
            try (NDArray own = weight.getArray().getGradient()) {
                sum.addi(own);
            }
        }
        NDScope.unregister(sum);
        return ColumnGradient.full(sum, dense, sum);
    }

    /**
     * Returns {@code a[:, index]} for a 2-D array, as a view of the gathered rows of {@code a}'s transpose:
     * indexing {@code ":, {}"} first takes the full slice {@code a[:]}, whose backward writes the whole
     * gradient of {@code a} into a zero array once more (measured: ~100 us a step for the 300x784 weight).
     */
    private static NDArray columns(NDArray a, NDArray index) {
        return a.transpose().get(new NDIndex("{}", index)).transpose();
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0].slice(0, inputs[0].dimension() - 1).add(units)};
    }

    /** {@inheritDoc} */
    @Override
    protected long inputCountOf(Shape input) {
        return input.get(input.dimension() - 1);
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(units, inputFeatures));
        bias.setShape(new Shape(units));
        logAlpha.setShape(new Shape(inputFeatures));
    }

    /** {@inheritDoc} */
    @Override
    protected long outputCount() {
        return units;
    }

    /** {@inheritDoc} */
    @Override
    protected String outputCountName() {
        return "units";
    }

    /** {@inheritDoc} */
    @Override
    protected long inputCount() {
        return inputFeatures;
    }

    /** {@inheritDoc} */
    @Override
    protected void setInputCount(long inputs) {
        inputFeatures = inputs;
    }

    /** {@inheritDoc} */
    @Override
    public GroupShape groupShape() {
        requireInitialized();
        return new GroupShape(inputFeatures, units, units);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray groupSquaredNorms(NDManager manager) {
        requireInitialized();
        return ManagedArrays.inManager(weight.getArray(), manager).square().sum(new int[] {0});
    }

    /** {@inheritDoc} */
    @Override
    public long sparseForwards() {
        return sparseForwards.sum();
    }

    /**
     * Returns how many inference passes (deterministic gates) computed over the live input columns only.
     *
     * @return the count since construction
     */
    long sparseInferences() {
        return sparseInferences.sum();
    }

    /**
     * Returns the number of output units.
     *
     * @return the units
     */
    public long units() {
        return units;
    }

    /**
     * Returns the number of input features (one gate each); 0 before initialisation.
     *
     * @return the input features
     */
    public long inputFeatures() {
        return inputFeatures;
    }

    /** Builds an {@link L0Linear}: {@code setUnits} is required, the gate options are optional. */
    public static final class Builder extends GatedBuilder<Builder> {

        private long units;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the number of output units (required, {@code ≥ 1}).
         *
         * @param units the output units
         * @return this builder
         */
        public Builder setUnits(long units) {
            this.units = units;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return a new, uninitialised {@link L0Linear}
         * @throws IllegalArgumentException if units {@code < 1} or a gate option is out of range
         */
        public L0Linear build() {
            if (units < 1) {
                throw new IllegalArgumentException("units must be >= 1, got " + units);
            }
            return new L0Linear(this);
        }
    }
}
