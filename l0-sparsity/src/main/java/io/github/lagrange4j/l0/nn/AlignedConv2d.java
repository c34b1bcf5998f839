package io.github.lagrange4j.l0.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} computed through {@link ChannelAlignment} or {@link ChannelsLast}: the same block,
 * parameters ({@code weight}, {@code bias}) and saved form, so a model saved with it loads into a plain {@code
 * Conv2d} and back, but its kernels see channel counts rounded up to a multiple of the alignment, or run in the
 * channels-last layout. Dilation 1 and one group only.
 */
public final class AlignedConv2d extends Conv2d {

    private final int alignment;
    private final boolean channelsLast;

    private AlignedConv2d(Conv2d.Builder builder, int alignment, boolean channelsLast) {
        super(builder);
        this.alignment = ChannelAlignment.validate(alignment);
        this.channelsLast = channelsLast;
    }

    /**
     * Builds the convolution a {@link Conv2d.Builder} describes in the process's default form ({@link
     * ChannelsLast#fromEnvironment()}, {@link ChannelAlignment#fromEnvironment()}); with neither it is DJL's own
     * {@code Conv2d}.
     *
     * @param builder a configured builder (filters and kernel shape set)
     * @return the block
     * @throws IllegalArgumentException if the builder asks for dilation or groups, which this block does not do
     */
    public static Conv2d build(Conv2d.Builder builder) {
        return build(builder, ChannelAlignment.fromEnvironment(), ChannelsLast.fromEnvironment());
    }

    /**
     * Builds the convolution a {@link Conv2d.Builder} describes with the given alignment; with alignment 1 it is
     * DJL's own {@code Conv2d}.
     *
     * @param builder a configured builder (filters and kernel shape set)
     * @param alignment the channel alignment, {@code ≥ 1}
     * @return the block
     * @throws IllegalArgumentException if the alignment is out of range, or (alignment above 1) the builder asks
     *     for dilation or groups
     */
    public static Conv2d build(Conv2d.Builder builder, int alignment) {
        return build(builder, alignment, false);
    }

    /**
     * Builds the convolution a {@link Conv2d.Builder} describes with the given alignment, or channels-last (which
     * takes precedence); with alignment 1 and not channels-last it is DJL's own {@code Conv2d}.
     *
     * @param builder a configured builder (filters and kernel shape set)
     * @param alignment the channel alignment, {@code ≥ 1}
     * @param channelsLast whether to compute in the channels-last layout
     * @return the block
     * @throws IllegalArgumentException if the alignment is out of range, or (aligned or channels-last) the
     *     builder asks for dilation or groups
     */
    public static Conv2d build(Conv2d.Builder builder, int alignment, boolean channelsLast) {
        if (ChannelAlignment.validate(alignment) == 1 && !channelsLast) {
            return builder.build();
        }
        Conv2d plain = builder.build(); // validates the builder
        if (plain.getDilation().size() != 1 || plain.getGroups() != 1) {
            throw new IllegalArgumentException("an aligned or channels-last convolution has dilation 1 and one group");
        }
        return new AlignedConv2d(builder, alignment, channelsLast);
    }

    /**
     * Returns the channel alignment.
     *
     * @return the alignment
     */
    public int alignment() {
        return alignment;
    }

    /**
     * Tells whether it computes in the channels-last layout.
     *
     * @return whether it is channels-last
     */
    public boolean channelsLast() {
        return channelsLast;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
        return new NDList(ChannelsLast.conv2d(input, w, b, stride, padding, channelsLast, alignment));
    }
}
