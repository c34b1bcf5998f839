package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Adam with checkpointable state (Kingma &amp; Ba, "Adam: a method for stochastic optimization",
 * ICLR 2015), in the PyTorch form.
 *
 * <p>Rule per parameter, {@code g} pre-processed as in {@link StatefulOptimizer}: {@code m <- b1 m
 * + (1-b1) g; v <- b2 v + (1-b2) g^2; w <- w - eta (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
 * Weight decay is the coupled L2 form ({@code g + wd w}), as {@code torch.optim.Adam}.
 *
 * <p>On PyTorch the whole update of a parameter is one native call (DJL's engine-level {@code adamUpdate}:
 * about eight tensor kernels instead of some fifteen separately dispatched operations), unless gradients are
 * clipped, the parameter is not float32 (the native's scalars are float) or {@link Builder#optFused(boolean)
 * optFused(false)}. It computes the same rule rewritten as
 * {@code w <- w - eta sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps sqrt(1-b2^t))}, which is equal in exact
 * arithmetic and differs only by float rounding; the moments stay in this optimizer's buffers (and in
 * checkpoints) as before.
 */
public final class StatefulAdam extends StatefulOptimizer {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean fused;

    private StatefulAdam(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.fused = b.fused;
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
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
    protected boolean applyFused(NDArray w, NDArray rawGradient, NDArray[] buffers, long t, double lr) {
        // the native takes its scalars as float: exact enough for float32 parameters only
        if (!fused || w.getDataType() != DataType.FLOAT32
                || !"PyTorch".equals(w.getManager().getEngine().getEngineName())) {
            return false;
        }
        double secondCorrection = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr * secondCorrection / (1 - Math.pow(beta1, t)));
        // the native clips gradients when its clip value is >= 0: -1 turns that off (clipping is unfused)
        w.getNDArrayInternal().adamUpdate(new NDList(w, rawGradient, buffers[0], buffers[1]), new NDList(w),
                (float) lr, stepSize, getWeightDecay(), rescaleGrad, -1f, (float) beta1, (float) beta2,
                (float) (epsilon * secondCorrection), false, false);
        return true;
    }

    /** Builds a {@link StatefulAdam}. */
    public static final class Builder extends StatefulOptimizer.Builder<Builder> {

        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private boolean fused = true;

        Builder() {}

        /**
         * Uses the engine's one-call Adam update where there is one (PyTorch) and gradients are not clipped
         * (default true); false always takes the rule as separate array operations.
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
