package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;

/**
 * SGD with optional heavy-ball momentum and checkpointable state (PyTorch convention, no
 * dampening; Polyak, 1964).
 *
 * <p>Rule, {@code g} pre-processed as in {@link StatefulOptimizer}: with {@code mu = 0}, {@code w
 * <- w - eta g}; otherwise {@code b <- mu b + g; w <- w - eta b}.
 */
public final class StatefulSgd extends StatefulOptimizer {

    private final double momentum;

    private StatefulSgd(Builder b) {
        super(b);
        this.momentum = b.momentum;
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
        return momentum > 0 ? 1 : 0;
    }

    @Override
    protected String ruleName() {
        return "sgd";
    }

    @Override
    protected void apply(NDArray w, NDArray g, NDArray[] buffers, long t, double lr) {
        if (momentum > 0) {
            NDArray b = buffers[0];
            b.muli(momentum).addi(g);
            w.subi(b.mul(lr));
        } else {
            w.subi(g.mul(lr));
        }
    }

    /** Builds a {@link StatefulSgd}. */
    public static final class Builder extends StatefulOptimizer.Builder<Builder> {

        private double momentum;

        Builder() {}

        /**
         * Sets the momentum (default 0).
         *
         * @param momentum in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
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
        public StatefulSgd build() {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            return new StatefulSgd(this);
        }
    }
}
