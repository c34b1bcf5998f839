package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A DJL {@link Optimizer} whose whole state (per-parameter buffers and step counts) is owned here
 * and can be saved and restored exactly, for bit-exact checkpoint/resume.
 *
 * <p>Per update of parameter {@code w} with key {@code k}: {@code t_k <- t_k + 1}; {@code g <-
 * clip(rescaleGrad * grad, clipGrad) + weightDecay * w} (clipping only if {@code clipGrad > 0});
 * {@code eta = tracker(k, t_k) * lrMultiplier(k)}; the subclass rule updates {@code w} in place;
 * finally the gradient of {@code w} is zeroed (as DJL's PyTorch optimizers do). A rule may do all of this
 * in one native operation of the engine ({@link #applyFused}) when gradients are not clipped.
 *
 * <p>Keys: DJL passes random parameter ids ({@code NDManager.nextUid()}) from a {@code Trainer};
 * give the model's block to the builder ({@code optParameterNames(block)}) so that keys (checkpoints,
 * the learning-rate multiplier) are the stable parameter paths of {@code block.getParameters()}: the
 * optimizer reads them itself on its first update, after the trainer has initialised the block
 * ({@link #bindParameterNames(Block)} does the same explicitly). Unbound ids are used as keys as they
 * are (the names given to {@link ParameterOptimizer}); with a learning-rate multiplier set, an update of a
 * DJL-generated id that no block named fails with an {@link IllegalStateException} instead of silently
 * giving the multiplier a name it can never match. The base class's
 * {@code updateCount}/{@code beginNumUpdate} are not used: step counts are per key and
 * checkpointed.
 *
 * <p>Memory: buffers are created on a parameter's first update, detached from every manager (they live as
 * long as this optimizer; an engine's parameter server may pass the weight in a short-lived manager) and
 * removed from any open {@link NDScope}; temporaries of an update are closed by an inner scope. The state
 * itself and its exact save/load are {@link OptimizerSlots}'.
 *
 * <p>Size: a little over 300 lines because its {@link Builder} (tracker, multiplier, parameter names) is nested,
 * as DJL nests the builders of its optimizers, so that every rule's builder extends it.
 */
public abstract class StatefulOptimizer extends Optimizer {

    private final ParameterTracker learningRateTracker;
    private final Function<String, Float> learningRateMultiplier;
    private final boolean multiplierByName;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Block namesFrom;
    private volatile boolean namesResolved;
    private final OptimizerSlots slots = new OptimizerSlots();
    private final LongAdder fusedUpdates = new LongAdder();
    private final LongAdder columnUpdates = new LongAdder();

    /**
     * Creates the optimizer.
     *
     * @param builder the builder
     */
    protected StatefulOptimizer(Builder<?> builder) {
        super(builder);
        this.learningRateTracker = builder.learningRateTracker;
        this.learningRateMultiplier = builder.learningRateMultiplier;
        this.multiplierByName = builder.multiplierByName;
        this.namesFrom = builder.namesFrom;
        if (!(rescaleGrad > 0) || Float.isInfinite(rescaleGrad)) {
            throw new IllegalArgumentException("rescaleGrad must be finite and > 0, got " + rescaleGrad);
        }
        if (!(getWeightDecay() >= 0)) {
            throw new IllegalArgumentException("weightDecays must be >= 0, got " + getWeightDecay());
        }
    }

    /**
     * Maps DJL's parameter ids of {@code block} to their stable path names.
     *
     * @param block the model block
     */
    public void bindParameterNames(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            names.put(p.getValue().getId(), p.getKey());
        }
    }

    /**
     * Returns the state key of a parameter id: its bound name, or the id itself.
     *
     * @param parameterId the id given to {@link #update}
     * @return the key
     */
    public String key(String parameterId) {
        if (namesFrom != null && !namesResolved) {
            synchronized (names) {
                if (!namesResolved) {
                    bindParameterNames(namesFrom);
                    namesResolved = true;
                }
            }
        }
        String name = names.get(parameterId);
        if (name != null) {
            return name;
        }
        if (multiplierByName && DJL_GENERATED_ID.matcher(parameterId).matches()) {
            // the multiplier would be asked about "uid-…" and never see e.g. "log_alpha": fail, don't ignore it
            throw new IllegalStateException("a learning-rate multiplier is set, but parameter " + parameterId
                    + " has no name (DJL's Trainer passes generated ids): give the model's block to the builder"
                    + " (optParameterNames(block)) or call bindParameterNames(block) after trainer.initialize");
        }
        return parameterId;
    }

    /** DJL's generated parameter ids ({@code NDManager.nextUid()}: {@code uid-<nanoTime>-<counter>}). */
    private static final java.util.regex.Pattern DJL_GENERATED_ID = java.util.regex.Pattern.compile("uid-\\d+-\\d+");

    /**
     * Returns the number of updates applied to the parameter with this key.
     *
     * @param key the key
     * @return the step count, 0 if never updated
     */
    public long stepCount(String key) {
        return slots.steps(key);
    }

    /**
     * Returns how many parameter updates so far took the engine's fused one-call path ({@link #applyFused}).
     *
     * @return the number of fused updates since this optimizer was created
     */
    public long fusedUpdates() {
        return fusedUpdates.sum();
    }

    /**
     * Returns the learning rate for a key at step {@code t}: {@code tracker(key, t) *
     * multiplier(key)}.
     *
     * @param key the parameter key
     * @param t the 1-based step
     * @return the learning rate
     */
    public double learningRate(String key, long t) {
        float base = learningRateTracker.getNewValue(key, (int) Math.min(Integer.MAX_VALUE, t));
        Float mult = learningRateMultiplier.apply(key);
        if (mult == null || !(mult >= 0) || Float.isInfinite(mult)) {
            throw new IllegalArgumentException(
                    "learningRateMultiplier for '" + key + "' must be finite and >= 0, got " + mult);
        }
        return (double) base * (double) mult;
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        update(parameterId, weight, grad, true);
    }

    /**
     * The update from {@code grad}; the parameter's own gradient array is zeroed afterwards only if {@code
     * zeroOwnGradient} (a gradient handed over in its place, {@link ColumnGradient#full}, may leave it untouched).
     */
    private void update(String parameterId, NDArray weight, NDArray grad, boolean zeroOwnGradient) {
        String key = key(parameterId);
        OptimizerSlots.Slot slot = slots.slot(key, () -> newBuffers(weight));
        long t = ++slot.steps;
        double lr = learningRate(key, t);
        if (clipGrad <= 0 && applyFused(weight, grad, slot.buffers, t, lr, zeroOwnGradient)) {
            fusedUpdates.increment();
            return;
        }
        try (NDScope ignored = new NDScope()) {
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            if (getWeightDecay() > 0) {
                g = g.add(weight.mul(getWeightDecay()));
            }
            apply(weight, g, slot.buffers, t, lr);
        }
        if (zeroOwnGradient) {
            Gradients.zero(weight);
        }
    }

    /**
     * Updates a parameter from its gradient given by columns ({@link ColumnGradient}): the same update as from
     * the full gradient, zero outside the columns. By default the full gradient is built and {@link #update(String,
     * NDArray, NDArray)} applied; {@link StatefulAdam} updates from the columns directly where its single pass runs.
     * The parameter's own gradient array is zeroed afterwards if the column gradient says it holds part of it.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter
     * @param gradient its gradient
     */
    public final void update(String parameterId, NDArray weight, ColumnGradient gradient) {
        Shape shape = weight.getShape();
        boolean fits = gradient.isFull() ? gradient.values().getShape().equals(shape)
                : shape.dimension() == 2 && shape.get(1) == gradient.columnsTotal()
                        && gradient.values().getShape().get(0) == shape.get(0);
        if (!fits) {
            throw new IllegalArgumentException("a column gradient of " + gradient.values().getShape() + " over "
                    + gradient.columnsTotal() + " columns does not fit parameter " + parameterId + " of shape " + shape);
        }
        String key = key(parameterId);
        OptimizerSlots.Slot slot = slots.slot(key, () -> newBuffers(weight));
        boolean done = false;
        if (clipGrad <= 0 && !gradient.isFull()) {
            long t = slot.steps + 1;
            // the column dots are the pass's to compute when it runs (applyColumns), before the update otherwise
            if (applyColumns(weight, gradient, slot.buffers, t, learningRate(key, t))) {
                slot.steps = t;
                fusedUpdates.increment();
                done = true;
            }
        }
        if (!done) {
            gradient.addColumnDots(weight);
        }
        if (!done && gradient.isFull()) {
            update(parameterId, weight, gradient.values(), gradient.zeroOwnGradient());
        } else if (!done) {
            try (NDScope ignored = new NDScope()) {
                update(parameterId, weight, gradient.dense());
            }
        }
        if (gradient.zeroOwnGradient() && !gradient.isFull()) {
            Gradients.zero(weight);
        }
        if (!gradient.isFull()) {
            columnUpdates.increment();
        }
    }

    /**
     * Returns how many updates so far came from the columns of a {@link ColumnGradient} (whether or not they ran
     * without building the full gradient).
     *
     * @return the number of column-gradient updates since this optimizer was created
     */
    public long columnUpdates() {
        return columnUpdates.sum();
    }

    /**
     * Applies the rule from a column gradient without building the full gradient, if this optimizer can (only
     * called when gradients are not clipped).
     *
     * @param weight the parameter, updated in place
     * @param gradient its gradient, by columns
     * @param buffers this optimizer's buffers for the parameter
     * @param t the step number, starting at 1
     * @param lr the learning rate
     * @return true if applied (and the column dots added, {@link ColumnGradient#withColumnDots}), false to have
     *     the full gradient built and {@link #update(String, NDArray, NDArray)} applied
     */
    protected boolean applyColumns(NDArray weight, ColumnGradient gradient, NDArray[] buffers, long t, double lr) {
        return false;
    }

    /**
     * Returns how many state buffers (shaped like the parameter) the rule needs.
     *
     * @return the number of buffers
     */
    protected abstract int numBuffers();

    /**
     * Applies the rule in place; temporaries may be left to the enclosing scope.
     *
     * @param weight the parameter, updated in place
     * @param grad the pre-processed gradient
     * @param buffers the parameter's state buffers, updated in place
     * @param t the 1-based step count of this parameter
     * @param lr the learning rate of this step
     */
    protected abstract void apply(NDArray weight, NDArray grad, NDArray[] buffers, long t, double lr);

    /**
     * Applies the whole update of one parameter as one native operation of the engine, if the rule and the
     * engine have one: rescaling, weight decay, the rule on {@code buffers} and {@code weight} in place, and
     * zeroing the gradient. Called instead of {@link #apply} when gradients are not clipped; the result must
     * equal {@link #apply}'s up to floating-point rounding. The default has none.
     *
     * @param weight the parameter, updated in place
     * @param rawGradient the parameter's gradient as the trainer passes it (not yet rescaled)
     * @param buffers the parameter's state buffers, updated in place
     * @param t the 1-based step count of this parameter
     * @param lr the learning rate of this step
     * @param zeroOwnGradient whether to zero the parameter's own gradient array (false when {@code rawGradient}
     *     was handed over in its place and the array holds nothing)
     * @return true if the update was applied (and the gradient zeroed if asked), false to take {@link #apply}
     */
    protected boolean applyFused(NDArray weight, NDArray rawGradient, NDArray[] buffers, long t, double lr,
            boolean zeroOwnGradient) {
        return false;
    }

    /**
     * Returns a name of the rule written into checkpoints (loading checks it).
     *
     * @return the name
     */
    protected abstract String ruleName();

    private NDArray[] newBuffers(NDArray weight) {
        NDArray[] b = new NDArray[numBuffers()];
        for (int i = 0; i < b.length; i++) {
            b[i] = weight.zerosLike();
            NDScope.unregister(b[i]);
            // Owned by this optimizer, not by the weight's manager: MXNet's parameter server hands the
            // update a weight in a sub-manager that it closes right after the call.
            b[i].detach();
        }
        return b;
    }

    /**
     * Writes the per-key step counts and buffers (exact bytes).
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    public void saveState(DataOutputStream out) throws IOException {
        slots.save(out, ruleName());
    }

    /**
     * Replaces the state by one written by {@link #saveState}; buffers are created in {@code
     * manager} (which must outlive this optimizer's use).
     *
     * @param in the stream
     * @param manager the manager that will own the buffers
     * @throws IOException on read failure or a state of another rule
     */
    public void loadState(DataInputStream in, NDManager manager) throws IOException {
        slots.load(in, manager, ruleName());
    }

    /**
     * Builder of a stateful optimizer.
     *
     * @param <T> the concrete builder
     */
    public abstract static class Builder<T extends Builder<T>> extends OptimizerBuilder<T> {

        private ParameterTracker learningRateTracker = Tracker.fixed(0.001f);
        private Function<String, Float> learningRateMultiplier = k -> 1f;
        private boolean multiplierByName;
        private Block namesFrom;

        /**
         * Keys the state and the learning-rate multiplier by the parameter paths of a block (e.g.
         * {@code "02L0Linear_log_alpha"}) instead of DJL's random ids; the names are read on the first
         * update, so the block may still be uninitialised here.
         *
         * @param block the model's block
         * @return this builder
         */
        public T optParameterNames(Block block) {
            if (block == null) {
                throw new IllegalArgumentException("block must not be null");
            }
            this.namesFrom = block;
            return self();
        }

        /**
         * Sets the learning-rate tracker (default fixed 0.001).
         *
         * @param tracker the tracker, called with the parameter key and its step
         * @return this builder
         */
        public T optLearningRateTracker(ParameterTracker tracker) {
            if (tracker == null) {
                throw new IllegalArgumentException("learningRateTracker must not be null");
            }
            this.learningRateTracker = tracker;
            return self();
        }

        /**
         * Sets a per-parameter learning-rate multiplier (default 1 for all), e.g. {@code k ->
         * k.contains("log_alpha") ? 10f : 1f}. It is called with the parameter's name, so an optimizer driven
         * by a DJL {@code Trainer} needs {@link #optParameterNames(Block)} (or
         * {@link StatefulOptimizer#bindParameterNames(Block)}): without them its first update fails.
         *
         * @param multiplier key to a finite factor {@code >= 0}
         * @return this builder
         */
        public T optLearningRateMultiplier(Function<String, Float> multiplier) {
            if (multiplier == null) {
                throw new IllegalArgumentException("learningRateMultiplier must not be null");
            }
            this.learningRateMultiplier = multiplier;
            this.multiplierByName = true;
            return self();
        }
    }
}
