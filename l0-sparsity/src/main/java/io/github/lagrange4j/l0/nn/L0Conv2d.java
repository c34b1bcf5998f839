package io.github.lagrange4j.l0.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.ManagedArrays;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * A 2-D convolution gated on its output channels: {@code y_f = z_f · (W_f ⋆ x + b_f)}, one
 * hard-concrete gate per output channel (Louizos et al., 2018, L0Conv2d).
 *
 * <p>A dead gate switches off the whole filter {@code W_f} and its bias {@code b_f} (the bias is part
 * of the channel's group). In training, {@code z} is a fresh sample (one per batch multiplying filters
 * and biases, or one per example multiplying the output maps); in inference the deterministic gate ẑ
 * multiplies filters and biases. With one sample per batch, a sample with at most {@link
 * #SPARSE_COMPUTE_LIVE_FRACTION} of the filters alive convolves with the live filters only and scatters their
 * maps into an output whose dead maps are 0 ({@link #setSparseCompute}). Parameters: {@code weight (filters, C, kh, kw)} (He normal over
 * {@code C·kh·kw}, optionally divided by {@code 1 − d}), {@code bias (filters)} (zeros), {@code
 * log_alpha (filters)}. Input {@code (batch, C, H, W)}, NCHW; dilation 1, one group.
 *
 * <p>Size: a little over 300 lines because its {@link Builder} (kernel, stride, padding, filters and the gate
 * options) is nested, as DJL nests {@code Conv2d.Builder}, and it still loads its version-1 encoding.
 */
public class L0Conv2d extends GatedBlock {

    /** Version 2 writes the filter count as a long, like every gated layer; version 1 (an int) still loads. */
    private static final byte VERSION = 2;

    private final Shape kernelShape;
    private final Shape stride;
    private final Shape padding;
    private final int filters;
    private final int channelAlignment;
    private final boolean channelsLast;
    private long inputChannels;
    private final java.util.concurrent.atomic.LongAdder sparseForwards = new java.util.concurrent.atomic.LongAdder();

    L0Conv2d(Builder builder) {
        super(VERSION, builder.gateConfig());
        kernelShape = builder.kernelShape;
        stride = builder.stride;
        padding = builder.padding;
        filters = builder.filters;
        channelAlignment = builder.channelAlignment;
        channelsLast = builder.channelsLast;
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
        if (training && gateConfig.sampling() == GateSampling.PER_EXAMPLE) {
            NDArray y = convolve(x, w, b);
            long batch = x.getShape().get(0);
            NDArray z = hc.sample(la, manager, new Shape(batch, filters));
            return new NDList(z.reshape(batch, filters, 1, 1).mul(y));
        }
        NDArray z =
                training
                        ? batchSample(la, manager)
                        : hc.deterministic(la, gateConfig.testTimeGate(), manager);
        NDArray live = training && isSparseCompute() ? liveGroups(z, manager) : null;
        if (live != null) {
            return new NDList(liveFiltersOnly(x, w, b, z, live, manager));
        }
        NDArray gatedWeight = z.reshape(filters, 1, 1, 1).mul(w);
        NDArray gatedBias = z.mul(b);
        return new NDList(convolve(x, gatedWeight, gatedBias));
    }

    /**
     * Convolves with the live filters only and scatters their maps into a zero output of all filters: dead
     * maps are exactly 0, as {@code z_f = 0} makes them in the dense computation, and get no gradient.
     */
    private NDArray liveFiltersOnly(NDArray x, NDArray w, NDArray b, NDArray z, NDArray index, NDManager manager) {
        sparseForwards.increment();
        long alive = index.getShape().get(0);
        NDIndex rows = new NDIndex("{}", index);
        NDArray zLive = z.get(index);
        NDArray weight = w.get(rows).mul(zLive.reshape(alive, 1, 1, 1));
        NDArray biasLive = b.get(rows).mul(zLive);
        NDArray y = convolve(x, weight, biasLive);
        Shape s = y.getShape();
        // an indexed copy into the zero maps (index_put): the same numbers and gradient as a scatter along the
        // channels with a broadcast index, at 0.8x its time forward and backward (128x16 of 50 maps of 8x8)
        Shape all = new Shape(s.get(0), filters, s.get(2), s.get(3));
        NDArray maps = channelsLast ? ChannelsLast.zeros(manager, all, y.getDataType()) : manager.zeros(all, y.getDataType());
        maps.set(new NDIndex(":, {}", index), y);
        return maps;
    }

    /** The convolution in the layer's kernel form: channels-last, or NCHW with aligned channel counts. */
    private NDArray convolve(NDArray x, NDArray w, NDArray b) {
        return ChannelsLast.conv2d(x, w, b, stride, padding, channelsLast, channelAlignment);
    }

    /** {@inheritDoc} */
    @Override
    public long sparseForwards() {
        return sparseForwards.sum();
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long h = (in.get(2) + 2 * padding.get(0) - kernelShape.get(0)) / stride.get(0) + 1;
        long w = (in.get(3) + 2 * padding.get(1) - kernelShape.get(1)) / stride.get(1) + 1;
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }

    /** {@inheritDoc} */
    @Override
    protected long inputCountOf(Shape input) {
        if (input.dimension() != 4) {
            throw new IllegalArgumentException("L0Conv2d takes exactly 1 input of shape (batch, C, H, W)");
        }
        return input.get(1);
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputChannels).addAll(kernelShape));
        bias.setShape(new Shape(filters));
        logAlpha.setShape(new Shape(filters));
    }

    /** {@inheritDoc} */
    @Override
    protected long outputCount() {
        return filters;
    }

    /** {@inheritDoc} */
    @Override
    protected String outputCountName() {
        return "filters";
    }

    /** {@inheritDoc} */
    @Override
    protected long inputCount() {
        return inputChannels;
    }

    /** {@inheritDoc} */
    @Override
    protected void setInputCount(long inputs) {
        inputChannels = inputs;
    }

    /** Accepts this encoding and version 1. */
    @Override
    protected void checkEncodingVersion(byte loadVersion) throws MalformedModelException {
        if (loadVersion != 1) {
            super.checkEncodingVersion(loadVersion);
        }
    }

    /** Version 1 wrote the filter count as an int. */
    @Override
    protected long readOutputCount(byte loadVersion, DataInputStream is) throws IOException {
        return loadVersion == 1 ? is.readInt() : is.readLong();
    }

    /** {@inheritDoc} */
    @Override
    public GroupShape groupShape() {
        requireInitialized();
        return new GroupShape(filters, inputChannels * kernelShape.size() + 1, 0);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray groupSquaredNorms(NDManager manager) {
        requireInitialized();
        NDArray w = ManagedArrays.inManager(weight.getArray(), manager);
        NDArray b = ManagedArrays.inManager(bias.getArray(), manager);
        return w.square().sum(new int[] {1, 2, 3}).add(b.square());
    }

    /**
     * Returns the number of output channels (one gate each).
     *
     * @return the filters
     */
    public int filters() {
        return filters;
    }

    /**
     * Returns the number of input channels; 0 before initialisation.
     *
     * @return the input channels
     */
    public long inputChannels() {
        return inputChannels;
    }

    /**
     * Returns the channel alignment of its convolutions ({@link ChannelAlignment}; 1: plain).
     *
     * @return the alignment
     */
    public int channelAlignment() {
        return channelAlignment;
    }

    /**
     * Tells whether its convolutions run in the channels-last layout ({@link ChannelsLast}).
     *
     * @return whether they are channels-last
     */
    public boolean channelsLast() {
        return channelsLast;
    }

    /**
     * Returns the kernel shape {@code (kh, kw)}.
     *
     * @return the kernel shape
     */
    public Shape kernelShape() {
        return kernelShape;
    }

    /**
     * Returns the stride {@code (sh, sw)}.
     *
     * @return the stride
     */
    public Shape stride() {
        return stride;
    }

    /**
     * Returns the zero padding {@code (ph, pw)}.
     *
     * @return the padding
     */
    public Shape padding() {
        return padding;
    }

    /**
     * Builds an {@link L0Conv2d}: {@code setKernelShape} and {@code setFilters} are required; stride
     * (default 1×1), padding (default 0×0) and the gate options are optional.
     */
    public static final class Builder extends GatedBuilder<Builder> {

        private Shape kernelShape;
        private Shape stride = new Shape(1, 1);
        private Shape padding = new Shape(0, 0);
        private int filters;
        private int channelAlignment = ChannelAlignment.fromEnvironment();
        private boolean channelsLast = ChannelsLast.fromEnvironment();

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the kernel shape {@code (kh, kw)} (required, both {@code ≥ 1}).
         *
         * @param kernelShape the kernel shape
         * @return this builder
         */
        public Builder setKernelShape(Shape kernelShape) {
            this.kernelShape = kernelShape;
            return this;
        }

        /**
         * Sets the number of output channels (required, {@code ≥ 1}).
         *
         * @param filters the output channels
         * @return this builder
         */
        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /**
         * Sets the stride {@code (sh, sw)}, both {@code ≥ 1}.
         *
         * @param stride the stride
         * @return this builder
         */
        public Builder optStride(Shape stride) {
            this.stride = stride;
            return this;
        }

        /**
         * Sets the zero padding {@code (ph, pw)}, both {@code ≥ 0}.
         *
         * @param padding the padding
         * @return this builder
         */
        public Builder optPadding(Shape padding) {
            this.padding = padding;
            return this;
        }

        /**
         * Sets the channel alignment of the convolutions' kernels ({@link ChannelAlignment}; default {@link
         * ChannelAlignment#fromEnvironment()}, 1 when {@value ChannelAlignment#ENVIRONMENT_VARIABLE} is unset):
         * the numbers are the same, the engine's kernels see aligned channel counts.
         *
         * @param channelAlignment the alignment, in {@code [1, 256]}
         * @return this builder
         */
        public Builder optChannelAlignment(int channelAlignment) {
            this.channelAlignment = channelAlignment;
            return this;
        }

        /**
         * Computes the convolution in the channels-last layout ({@link ChannelsLast}; default {@link
         * ChannelsLast#fromEnvironment()}, false when {@value ChannelsLast#ENVIRONMENT_VARIABLE} is unset): the
         * numbers are the same, the engine's NHWC kernels run. It takes precedence over the channel alignment.
         *
         * @param channelsLast whether to compute channels-last
         * @return this builder
         */
        public Builder optChannelsLast(boolean channelsLast) {
            this.channelsLast = channelsLast;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return a new, uninitialised {@link L0Conv2d}
         * @throws IllegalArgumentException if a shape or count is out of range
         */
        public L0Conv2d build() {
            check("kernelShape", kernelShape, 1);
            check("stride", stride, 1);
            check("padding", padding, 0);
            ChannelAlignment.validate(channelAlignment);
            if (filters < 1) {
                throw new IllegalArgumentException("filters must be >= 1, got " + filters);
            }
            return new L0Conv2d(this);
        }

        private static void check(String name, Shape shape, long min) {
            if (shape == null || shape.dimension() != 2 || shape.get(0) < min || shape.get(1) < min) {
                throw new IllegalArgumentException(
                        name + " must be a 2-D shape with entries >= " + min + ", got " + shape);
            }
        }
    }
}
