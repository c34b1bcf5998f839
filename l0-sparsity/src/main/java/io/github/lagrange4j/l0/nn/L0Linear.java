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
import io.github.lagrange4j.constrained.util.DirectMemory;
import io.github.lagrange4j.l0.gate.EngineFloats;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlphaInitializer;
import io.github.lagrange4j.l0.gate.LogAlphaTangent;
import io.github.lagrange4j.l0.gate.ManagedArrays;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

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
    private record LiveColumns(NDArray weights, int[] columns, float[] gates, float[] slopes) {

        LiveColumns(NDArray weights, int[] columns) {
            this(weights, columns, null, null);
        }
    }

    /**
     * The gate sample of the next training pass, drawn in closed form with log α outside the graph ({@link
     * #offerClosedFormSample}); consumed by that pass.
     */
    private ClosedFormSample closedFormOffer;
    /** {@code ∂L/∂log α} of this layer's gates from the closed-form passes settled since it was last taken. */
    private float[] gateGradient;
    /**
     * The closed-form pass whose weight gradient was taken with a column-dot sink ({@link
     * ColumnGradient#withColumnDots}): settled from the sink once the optimizer has filled it; null if none.
     */
    private LiveColumns dotsPending;
    private float[] pendingDots;
    /** The draws of those passes, whose sums (the expected density) add to log α's gradient, with this layer's offset. */
    private final java.util.List<ClosedFormSample> draws = new java.util.ArrayList<>();

    /** A gate sample as values: z, {@code ∂z/∂log α}, the draw's point of expansion and this layer's first gate in it. */
    private record ClosedFormSample(float[] values, float[] slopes, LogAlphaTangent tangent, int from) {}

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
            ClosedFormSample offer = closedFormOffer;
            closedFormOffer = null;
            if (offer != null && columnGradients) {
                return closedFormPass(x, w, b, offer, manager);
            }
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

    /**
     * A training pass with the gate sample as values and log α outside the graph: {@code y = (x ⊙ z) W′ᵀ + b},
     * where {@code W′} is a leaf of the graph holding {@code W} (over the live columns only when at most {@link
     * #SPARSE_COMPUTE_LIVE_FRACTION} of the gates are alive), kept until the optimizer takes its gradient. Then
     * {@code ∂L/∂W = ∂L/∂W′}, and since {@code ∂L/∂W′_ij = z_j Σ_b (∂L/∂y)_bi x_bj}, the gate's gradient is
     * {@code ∂L/∂z_j = Σ_i (∂L/∂W′)_ij W_ij / z_j} wherever {@code z_j > 0}; where a gate is clamped (0 or 1) its
     * slope {@code ∂z/∂log α} is 0 and so is its part of log α's gradient ({@link #settleGates}). No gate
     * operation on the engine but {@code x ⊙ z}, and none in the backward pass.
     */
    private NDList closedFormPass(NDArray x, NDArray w, NDArray b, ClosedFormSample offer, NDManager manager) {
        float[] z = offer.values();
        int alive = 0;
        for (float v : z) {
            if (v > 0) {
                alive++;
            }
        }
        NDArray leaf;
        NDArray input;
        if (isSparseCompute() && x.getShape().dimension() == 2 && alive > 0
                && alive <= SPARSE_COMPUTE_LIVE_FRACTION * z.length) {
            int[] columns = new int[alive];
            long[] live = new long[alive];
            float[] zLive = new float[alive];
            float[] slopeLive = new float[alive];
            for (int j = 0, k = 0; j < z.length; j++) {
                if (z[j] > 0) {
                    columns[k] = j;
                    live[k] = j;
                    zLive[k] = z[j];
                    slopeLive[k++] = offer.slopes()[j];
                }
            }
            // made as a row (1, k): both gathers broadcast it over their rows without a reshape of their own
            NDArray index = manager.create(live, new Shape(1, alive));
            try (NDArray detached = w.stopGradient()) {
                leaf = liveColumns(detached, index);
            }
            sparseForwards.increment();
            input = liveColumns(x, index).mul(EngineFloats.of(manager, zLive));
            keepLeaf(leaf, columns, zLive, slopeLive);
        } else {
            leaf = w.stopGradient();
            input = x.mul(gateValues(z, manager));
            keepLeaf(leaf, null, z, offer.slopes());
        }
        synchronized (pendingColumns) {
            draws.add(offer);
        }
        return Linear.linear(input, leaf, b);
    }

    /**
     * The gates of a full closed-form pass as a 1-D array on {@code manager}'s device: one array kept by this
     * block and rewritten in place through a view of its memory when no earlier pass still awaits its backward
     * pass and optimizer step (whose graph may still hold the array: then, and where the engine gives no view, a
     * new array).
     */
    private NDArray gateValues(float[] z, NDManager manager) {
        boolean earlierPassPending;
        synchronized (pendingColumns) {
            earlierPassPending = !pendingColumns.isEmpty();
        }
        NDArray kept = keptGates;
        if (kept == null || kept.isReleased() || kept.size() != z.length
                || !kept.getDevice().equals(manager.getDevice())) {
            if (kept != null && !kept.isReleased()) {
                kept.close();
            }
            keptGates = null;
            keptGatesView = null;
            NDArray made = EngineFloats.of(weight.getArray().getManager(), z);
            ByteBuffer view = made.getDevice().equals(manager.getDevice()) ? DirectMemory.of(made) : null;
            if (view == null) {
                made.close();
                return EngineFloats.of(manager, z);
            }
            NDScope.unregister(made);
            keptGates = made;
            keptGatesView = view.asFloatBuffer();
            return made;
        }
        if (earlierPassPending) {
            return EngineFloats.of(manager, z);
        }
        keptGatesView.put(0, z);
        return kept;
    }

    private NDArray keptGates;
    private FloatBuffer keptGatesView;

    /**
     * Makes {@code leaf} a leaf of the graph owned by this block until its gradient is taken ({@code columns} null:
     * all of {@code W}; {@code gates} and {@code slopes} non-null for a closed-form pass).
     */
    private void keepLeaf(NDArray leaf, int[] columns, float[] gates, float[] slopes) {
        leaf.setRequiresGradient(true);
        // the pass's scope (and manager) would close it before the optimizer step: the block keeps it until then
        NDScope.unregister(leaf);
        leaf.detach();
        synchronized (pendingColumns) {
            if (pendingColumns.size() >= MAX_PENDING_COLUMN_GRADIENTS) {
                leaf.close();
                throw new IllegalStateException(getClass().getSimpleName() + ": " + pendingColumns.size()
                        + " training passes left their weight gradient by columns and no optimizer took it:"
                        + " with column gradients on (setColumnGradients), update through an optimizer that"
                        + " takes them (TrainerPrimalOptimizer with a StatefulOptimizer) or turn them off");
            }
            pendingColumns.add(new LiveColumns(leaf, columns, gates, slopes));
        }
    }

    /**
     * Whether this layer takes its next training pass's gate sample as values with log α outside the graph
     * ({@link #offerClosedFormSample}): with column gradients on (the optimizer then takes the weight's and log
     * α's gradients from this layer), one sample per batch, its own noise and an engine with a gather.
     *
     * @return whether {@link #offerClosedFormSample} may be used
     */
    public boolean acceptsClosedFormSample() {
        if (!columnGradients || hasSharedNoise() || gateConfig.sampling() != GateSampling.PER_BATCH) {
            return false;
        }
        if (!gatherChecked) {
            gatherChecked = true;
            // an engine without a gather along an axis (MXNet) keeps log α in the graph and the full gradient
            try (NDManager probe = weight.getArray().getManager().newSubManager()) {
                NDArray index = probe.zeros(new Shape(1, 1), ai.djl.ndarray.types.DataType.INT64);
                probe.zeros(new Shape(1, 2)).gather(index, 1);
            } catch (UnsupportedOperationException e) {
                gatherUnsupported = true;
            }
        }
        return !gatherUnsupported;
    }

    /** Whether {@link #acceptsClosedFormSample} has tried the engine's gather. */
    private volatile boolean gatherChecked;

    /**
     * Offers the next training pass the gate sample as values, drawn in closed form at {@code tangent}, a point
     * of expansion with log α outside the graph ({@link LogAlphaTangent#withGradientsOutsideTheGraph}); the
     * pass computes {@code (x ⊙ z) W′ᵀ + b} and {@code ∂L/∂log α} comes from the weight's gradient and the
     * draw's sums ({@link #takeColumnGradient}). Used by {@link JointGateSampler}.
     *
     * @param values z, one per input feature (kept, not copied)
     * @param slopes {@code ∂z/∂log α}, one per input feature, 0 where z is clamped (kept, not copied)
     * @param tangent the draw's point of expansion
     * @param from this layer's first gate among the draw's gates
     * @throws IllegalStateException if the layer does not take such samples ({@link #acceptsClosedFormSample})
     */
    public void offerClosedFormSample(float[] values, float[] slopes, LogAlphaTangent tangent, int from) {
        if (!acceptsClosedFormSample()) {
            throw new IllegalStateException("this layer does not take closed-form samples (column gradients off,"
                    + " per-example sampling or shared noise)");
        }
        if (values.length != inputFeatures || slopes.length != inputFeatures || !tangent.gradientsOutsideTheGraph()) {
            throw new IllegalArgumentException("expected " + inputFeatures + " values and slopes at a point of"
                    + " expansion outside the graph, got " + values.length + " and " + slopes.length);
        }
        closedFormOffer = new ClosedFormSample(values, slopes, tangent, from);
    }

    /**
     * For each closed-form pass not settled yet: {@code ∂L/∂log α_j += (∂z_j/∂log α_j) Σ_i (∂L/∂W′)_ij W′_ij / z_j}
     * from its leaf's gradient and values, read before the optimizer updates {@code W} (the leaf of a full pass
     * is a view of {@code W}). Caller holds {@link #pendingColumns}.
     */
    private void settleGates() {
        if (dotsPending != null) {
            addGateGradient(dotsPending, pendingDots);
            dotsPending = null;
            pendingDots = null;
        }
        for (int p = 0; p < pendingColumns.size(); p++) {
            LiveColumns c = pendingColumns.get(p);
            if (c.gates() == null) {
                continue;
            }
            addGateGradient(c, columnDots(c.weights()));
            pendingColumns.set(p, new LiveColumns(c.weights(), c.columns()));
        }
    }

    /** {@code ∂L/∂log α_j += slope_j · dots_j / z_j} for the gates of a closed-form pass ({@code z_j > 0}). */
    private void addGateGradient(LiveColumns c, float[] dots) {
        if (gateGradient == null) {
            gateGradient = new float[Math.toIntExact(inputFeatures)];
        }
        float[] z = c.gates();
        float[] slopes = c.slopes();
        for (int k = 0; k < z.length; k++) {
            if (z[k] > 0 && slopes[k] != 0) {
                gateGradient[c.columns() == null ? k : c.columns()[k]] += slopes[k] * (dots[k] / z[k]);
            }
        }
    }

    /** The columns {@code 0 … in − 1}, made once. */
    private int[] allColumns() {
        int[] all = allColumns;
        if (all == null || all.length != inputFeatures) {
            all = new int[Math.toIntExact(inputFeatures)];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            allColumns = all;
        }
        return all;
    }

    private int[] allColumns;

    /** {@code Σ_i g_ij w_ij} for a 2-D leaf {@code w} and its gradient {@code g}. */
    private static float[] columnDots(NDArray leaf) {
        float[] dots = new float[Math.toIntExact(leaf.getShape().get(1))];
        try (NDArray grad = leaf.getGradient()) {
            ColumnGradient.full(grad, false).withColumnDots(dots).addColumnDots(leaf);
        }
        return dots;
    }

    /**
     * {@code ∂L/∂log α} of the closed-form passes since the last take: the gates' part ({@link #settleGates}),
     * what the draws' sums add ({@link LogAlphaTangent#addSumGradients}) and log α's own gradient (from any
     * term that used it in the graph), as a full gradient; null without such a pass.
     */
    private ColumnGradient takeGateGradient() {
        float[] dla;
        java.util.List<ClosedFormSample> taken;
        synchronized (pendingColumns) {
            settleGates();
            dla = gateGradient;
            gateGradient = null;
            taken = new java.util.ArrayList<>(draws);
            draws.clear();
        }
        if (dla == null && taken.isEmpty()) {
            return null;
        }
        if (dla == null) {
            dla = new float[Math.toIntExact(inputFeatures)];
        }
        java.util.Set<LogAlphaTangent> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ClosedFormSample draw : taken) {
            if (seen.add(draw.tangent())) {
                draw.tangent().addSumGradients(dla, draw.from());
            }
        }
        NDArray la = logAlpha.getArray();
        if (addIntoOwnGradient(la, dla)) {
            return null; // the optimizer reads (and zeroes) log α's own gradient as after any backward pass
        }
        boolean ownHoldsSome = false;
        try (NDArray own = la.getGradient()) {
            float[] g = EngineFloats.read(own);
            for (int j = 0; j < g.length; j++) {
                if (g[j] != 0) {
                    dla[j] += g[j];
                    ownHoldsSome = true;
                }
            }
        }
        NDArray sum = EngineFloats.of(la.getManager(), dla);
        NDScope.unregister(sum);
        // log α's own gradient array is zeroed only if a term used log α in the graph (it holds nothing otherwise)
        return ColumnGradient.full(sum, ownHoldsSome, sum);
    }

    /**
     * Adds {@code dla} into log α's own gradient array through a view of its memory, where the array exists and
     * the view is its memory (two handles of it seen to share it); false otherwise. Log α is in no graph when
     * every pass takes its sample as values, so its gradient array is never made by a backward pass: the first
     * time, a backward pass of {@code 0 · Σ log α} makes it (zeros), once per layer.
     */
    private boolean addIntoOwnGradient(NDArray la, float[] dla) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (NDArray own = la.getGradient(); NDArray again = la.getGradient()) {
                ByteBuffer view = DirectMemory.of(own, again);
                if (view != null) {
                    java.nio.FloatBuffer g = view.asFloatBuffer();
                    for (int j = 0; j < dla.length; j++) {
                        g.put(j, g.get(j) + dla[j]);
                    }
                    return true;
                }
            }
            if (attempt > 0 || logAlphaGradientMade) {
                return false;
            }
            logAlphaGradientMade = true;
            try (ai.djl.training.GradientCollector gc = la.getManager().getEngine().newGradientCollector();
                    NDArray sum = la.sum();
                    NDArray zero = sum.mul(0f)) {
                gc.backward(zero);
            } catch (RuntimeException e) {
                return false; // another collector is recording (or the engine refuses): hand the gradient over
            }
        }
        return false;
    }

    /** Whether {@link #addIntoOwnGradient} has made log α's gradient array already. */
    private boolean logAlphaGradientMade;

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
     * #columns}. The index is the k columns, as a 1-D array or as a row {@code (1, k)}.
     */
    private NDArray liveColumns(NDArray a, NDArray index) {
        boolean row = index.getShape().dimension() == 2;
        if (!gatherUnsupported) {
            long rows = a.getShape().get(0);
            long k = index.getShape().get(row ? 1 : 0);
            NDArray broadcastIndex = (row ? index : index.reshape(1, -1)).broadcast(new Shape(rows, k));
            try {
                return a.gather(broadcastIndex, 1);
            } catch (UnsupportedOperationException e) {
                gatherUnsupported = true;
            }
        }
        return columns(a, row ? index.reshape(-1) : index);
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
        keepLeaf(live, columns, null, null);
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
                closedFormOffer = null;
                gateGradient = null;
                draws.clear();
                dotsPending = null;
                pendingDots = null;
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
        if (parameter == logAlpha) {
            return takeGateGradient();
        }
        if (parameter != weight) {
            return null;
        }
        java.util.List<LiveColumns> taken;
        boolean dense;
        synchronized (pendingColumns) {
            LiveColumns single = pendingColumns.size() == 1 && !densePassSinceTake ? pendingColumns.get(0) : null;
            if (single != null && single.gates() != null && dotsPending == null) {
                // one closed-form pass (settled at log α's take): over the live columns, Σ_i g_ij w_ij from the
                // leaf (the live columns' copy) and its gradient, both (units, k), a pass over k columns; over all
                // of W, the optimizer's pass over W adds them on its way
                pendingColumns.clear();
                float[] dots = new float[single.gates().length];
                dotsPending = single;
                pendingDots = dots;
                NDArray g = single.weights().getGradient();
                if (single.columns() != null) {
                    ColumnGradient.addLiveColumnDots(g, single.weights(), dots);
                    return ColumnGradient.of(g, single.columns(), inputFeatures, g, single.weights());
                }
                return ColumnGradient.of(g, allColumns(), inputFeatures, g, single.weights()).withColumnDots(dots);
            }
            settleGates();
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
            return only.columns() == null ? ColumnGradient.full(g, false, g, only.weights())
                    : ColumnGradient.of(g, only.columns(), inputFeatures, g, only.weights());
        }
        // several passes (or sparse and dense ones) before one update: their sum at full size
        NDArray sum = null;
        for (LiveColumns c : taken) {
            if (c.columns() == null) { // a closed-form pass over all of W: its leaf's gradient is full already
                NDArray full = c.weights().getGradient();
                c.weights().close();
                if (sum == null) {
                    sum = full;
                } else {
                    sum.addi(full);
                    full.close();
                }
                continue;
            }
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
