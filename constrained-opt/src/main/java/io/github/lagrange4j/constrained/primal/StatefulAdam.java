package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.lagrange4j.constrained.util.DirectMemory;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Adam with checkpointable state (Kingma &amp; Ba, "Adam: a method for stochastic optimization",
 * ICLR 2015), in the PyTorch form.
 *
 * <p>Rule per parameter, {@code g} pre-processed as in {@link StatefulOptimizer}: {@code m <- b1 m
 * + (1-b1) g; v <- b2 v + (1-b2) g^2; w <- w - eta (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
 * Weight decay is the coupled L2 form ({@code g + wd w}), as {@code torch.optim.Adam}.
 *
 * <p>Unless gradients are clipped, the parameter is not float32 or {@link Builder#optFused(boolean)
 * optFused(false)}, the whole update of a parameter is fused, computing the same rule rewritten as
 * {@code w <- w - eta sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps sqrt(1-b2^t))}, which is equal in exact
 * arithmetic and differs only by float rounding; the moments stay in this optimizer's buffers (and in
 * checkpoints) as before. Two fused forms, the first that applies:
 * <ul>
 *   <li>one pass over the memory of {@code w, g, m, v} with the CPU's SIMD registers ({@link
 *       VectorAdamKernel}), when the JVM has the module {@code jdk.incubator.vector} (the launcher and the
 *       tests add it) and the arrays' memory is directly writable from Java (PyTorch on the CPU; {@link
 *       DirectMemory} verifies it once per array) and {@link Builder#optVectorKernel(boolean)} is not false;</li>
 *   <li>on PyTorch, one native call (DJL's engine-level {@code adamUpdate}: about twelve tensor kernels, each a
 *       pass over the parameter, instead of some fifteen separately dispatched operations).</li>
 * </ul>
 */
public final class StatefulAdam extends StatefulOptimizer {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean fused;
    private final boolean vectorKernel;
    /** Verified views of each slot's moments and of the weight last updated with them. */
    private final Map<NDArray[], MemoryViews> views = Collections.synchronizedMap(new WeakHashMap<>());
    private final LongAdder vectorUpdates = new LongAdder();

    /** The system property that, set to {@code false}, makes {@link Builder#optVectorKernel} default to false. */
    public static final String VECTOR_KERNEL_PROPERTY = "lagrange4j.vector-adam";

    private StatefulAdam(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.fused = b.fused;
        this.vectorKernel = b.vectorKernel;
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how many parameter updates so far ran as the single-pass SIMD kernel (a subset of {@link
     * #fusedUpdates()}).
     *
     * @return the number of single-pass updates since this optimizer was created
     */
    public long vectorUpdates() {
        return vectorUpdates.sum();
    }

    /**
     * Returns whether this JVM can run the single-pass SIMD update (the module {@code jdk.incubator.vector} is
     * present and links); whether an update takes it also depends on the arrays' memory.
     *
     * @return true if the kernel can run here
     */
    public static boolean vectorKernelAvailable() {
        return VectorApi.usable();
    }

    /**
     * Describes the fused update a default builder gives, in this JVM, a float32 parameter whose memory Java can
     * write (PyTorch on the CPU), e.g. "one SIMD pass in Java, 16 floats wide".
     *
     * @return the description
     */
    public static String describeFusedUpdate() {
        if (!vectorKernelByDefault()) {
            return "the engine's fused call (-D" + VECTOR_KERNEL_PROPERTY + "=false)";
        }
        return VectorApi.usable() ? "one SIMD pass in Java, " + VectorApi.lanes() + " floats wide"
                : "the engine's fused call (no jdk.incubator.vector module in this JVM)";
    }

    /** Whether a builder lets the single pass run unless told otherwise: unless the property says false. */
    private static boolean vectorKernelByDefault() {
        return !"false".equals(System.getProperty(VECTOR_KERNEL_PROPERTY));
    }

    @Override
    protected int numBuffers() {
        return 2;
    }

    @Override
    protected String ruleName() {
        return "adam";
    }

    @Override
    protected void apply(NDArray w, NDArray g, NDArray[] buffers, long t, double lr) {
        NDArray m = buffers[0];
        NDArray v = buffers[1];
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().mul(1 - beta2));
        NDArray mHat = m.div(1 - Math.pow(beta1, t));
        NDArray vHat = v.div(1 - Math.pow(beta2, t));
        w.subi(mHat.div(vHat.sqrt().add(epsilon)).mul(lr));
    }

    @Override
    protected boolean applyFused(NDArray w, NDArray rawGradient, NDArray[] buffers, long t, double lr,
            boolean zeroOwnGradient) {
        // both fused forms take their scalars as float: exact enough for float32 parameters only
        if (!fused || w.getDataType() != DataType.FLOAT32) {
            return false;
        }
        AdamConstants constants = constants(t, lr);
        if (vectorKernel && VectorApi.usable()) {
            VectorPass pass;
            // the scope closes what the engine makes to hand out memory (a strided array's contiguous copy is
            // owned by the array's manager, here the model's): nothing of an update outlives it
            try (NDScope ignored = new NDScope()) {
                pass = applyVector(w, rawGradient, buffers, constants, zeroOwnGradient);
            }
            if (pass != VectorPass.NOT_APPLIED) {
                if (pass == VectorPass.APPLIED && zeroOwnGradient) {
                    Gradients.zero(w);
                }
                vectorUpdates.increment();
                return true;
            }
        }
        if (!"PyTorch".equals(w.getManager().getEngine().getEngineName())) {
            return false;
        }
        // the native clips gradients when its clip value is >= 0: -1 turns that off (clipping is unfused)
        w.getNDArrayInternal().adamUpdate(new NDList(w, rawGradient, buffers[0], buffers[1]), new NDList(w),
                (float) lr, constants.stepSize(), getWeightDecay(), rescaleGrad, -1f, (float) beta1, (float) beta2,
                constants.epsilon(), false, false);
        return true;
    }

    /**
     * The fused forms' float constants of step {@code t}: the rule rewritten as {@code w -= lr·√(1-β₂ᵗ)/(1-β₁ᵗ) ·
     * m / (√v + ε·√(1-β₂ᵗ))}.
     */
    private AdamConstants constants(long t, double lr) {
        double secondCorrection = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr * secondCorrection / (1 - Math.pow(beta1, t)));
        return new AdamConstants((float) beta1, (float) beta2, stepSize, (float) (epsilon * secondCorrection),
                rescaleGrad, getWeightDecay());
    }

    /** The verified memory of a slot's moments (and of the weight last updated with them). */
    private MemoryViews views(NDArray[] buffers) {
        return views.computeIfAbsent(buffers, b -> new MemoryViews(DirectMemory.of(b[0]), DirectMemory.of(b[1])));
    }

    /**
     * The single pass from a column gradient ({@link VectorAdamKernel#updateColumns}), where the pass runs (see
     * {@link #applyFused}): the parameter's gradient array is neither read nor written.
     */
    @Override
    protected boolean applyColumns(NDArray w, ColumnGradient gradient, NDArray[] buffers, long t, double lr) {
        if (!fused || !vectorKernel || !VectorApi.usable() || w.getDataType() != DataType.FLOAT32
                || gradient.values().getDataType() != DataType.FLOAT32) {
            return false;
        }
        MemoryViews v = views(buffers);
        ByteBuffer weight = v.weight(w);
        if (weight == null) {
            return false;
        }
        int[] columns = gradient.columnsView();
        int rows = (int) w.getShape().get(0);
        int cols = (int) w.getShape().get(1);
        // as in applyFused: a strided array's contiguous copy, made to hand out memory, is closed with the scope
        try (NDScope ignored = new NDScope()) {
            ByteBuffer values = gradient.values().toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder());
            if (values.capacity() != rows * columns.length * Float.BYTES) {
                return false;
            }
            VectorAdamKernel.updateColumns(weight, values, columns, v.first, v.second, rows, cols, constants(t, lr),
                    gradient.columnDots());
        }
        vectorUpdates.increment();
        return true;
    }

    /** What {@link #applyVector} did. */
    private enum VectorPass { NOT_APPLIED, APPLIED, APPLIED_AND_ZEROED_GRADIENT }

    private VectorPass applyVector(NDArray w, NDArray g, NDArray[] buffers, AdamConstants constants,
            boolean zeroOwnGradient) {
        if (g.getDataType() != DataType.FLOAT32 || !g.getShape().equals(w.getShape())) {
            return VectorPass.NOT_APPLIED;
        }
        MemoryViews v = views(buffers);
        ByteBuffer weight = v.weight(w);
        if (weight == null) {
            return VectorPass.NOT_APPLIED;
        }
        // The parameter's gradient is zeroed in the same pass (zeroing a 300x784 gradient as an operation of its
        // own took ~200 us here, more than this whole update) when g is that gradient's memory, verified on every
        // update (the trainer hands a new array each time, and DJL's Trainer.step or a parameter server hands a
        // copy or a sum); otherwise g is read through any view, a copy included, and the engine zeroes the gradient.
        ByteBuffer gradient = null;
        if (zeroOwnGradient && w.hasGradient()) {
            try (NDArray own = w.getGradient()) {
                gradient = DirectMemory.of(g, own);
            }
        }
        boolean zeroInPass = gradient != null;
        if (gradient == null) {
            gradient = g.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder());
        }
        if (!gradient.isDirect() || gradient.capacity() != weight.capacity()) {
            return VectorPass.NOT_APPLIED;
        }
        VectorAdamKernel.update(weight, gradient, v.first, v.second, (int) w.size(), constants, zeroInPass);
        return zeroInPass ? VectorPass.APPLIED_AND_ZEROED_GRADIENT : VectorPass.APPLIED;
    }

    /** The verified memory of a slot's two moments and of the last weight updated with them. */
    private static final class MemoryViews {
        private final ByteBuffer first;
        private final ByteBuffer second;
        private NDArray weightArray;
        private ByteBuffer weight;

        MemoryViews(ByteBuffer first, ByteBuffer second) {
            this.first = first;
            this.second = second;
        }

        /** Returns the weight's verified memory (verifying a new array once), or null without one. */
        synchronized ByteBuffer weight(NDArray w) {
            if (first == null || second == null || w.isReleased()) {
                return null;
            }
            if (w != weightArray) {
                weightArray = w;
                weight = DirectMemory.of(w);
            }
            return weight != null && weight.capacity() == first.capacity() ? weight : null;
        }
    }

    /** Builds a {@link StatefulAdam}. */
    public static final class Builder extends StatefulOptimizer.Builder<Builder> {

        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private boolean fused = true;
        private boolean vectorKernel = vectorKernelByDefault();

        Builder() {}

        /**
         * Lets the fused update run as one SIMD pass in Java where the JVM and the arrays allow it (default
         * true unless the JVM runs with {@code -Dlagrange4j.vector-adam=false}; see {@link StatefulAdam}); false
         * leaves the fused update to the engine.
         *
         * @param vectorKernel whether to use the single-pass kernel
         * @return this builder
         */
        public Builder optVectorKernel(boolean vectorKernel) {
            this.vectorKernel = vectorKernel;
            return this;
        }

        /**
         * Fuses the whole update of a float32 parameter when gradients are not clipped (default true; the two
         * fused forms are in {@link StatefulAdam}); false always takes the rule as separate array operations.
         *
         * @param fused whether to use the fused update
         * @return this builder
         */
        public Builder optFused(boolean fused) {
            this.fused = fused;
            return this;
        }

        /**
         * Sets beta1 (default 0.9).
         *
         * @param beta1 in [0, 1)
         * @return this builder
         */
        public Builder optBeta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets beta2 (default 0.999).
         *
         * @param beta2 in [0, 1)
         * @return this builder
         */
        public Builder optBeta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets epsilon (default 1e-8).
         *
         * @param epsilon &gt; 0
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public StatefulAdam build() {
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
            }
            return new StatefulAdam(this);
        }
    }
}
