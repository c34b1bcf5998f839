package io.github.lagrange4j.l0.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} computed through {@link ChannelAlignment}: the same block, parameters ({@code weight},
 * {@code bias}) and saved form, so a model saved with it loads into a plain {@code Conv2d} and back, but its
 * kernels see channel counts rounded up to a multiple of the alignment. Dilation 1 and one group only.
 */
public final class AlignedConv2d extends Conv2d {

    private final int alignment;

    private AlignedConv2d(Conv2d.Builder builder, int alignment) {
        super(builder);
        this.alignment = ChannelAlignment.validate(alignment);
    }

    /**
     * Builds the convolution a {@link Conv2d.Builder} describes, aligned to the process's default ({@link
     * ChannelAlignment#fromEnvironment()}); with alignment 1 it is DJL's own {@code Conv2d}.
     *
     * @param builder a configured builder (filters and kernel shape set)
     * @return the block
     * @throws IllegalArgumentException if the builder asks for dilation or groups, which this block does not do
     */
    public static Conv2d build(Conv2d.Builder builder) {
        return build(builder, ChannelAlignment.fromEnvironment());
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
        if (ChannelAlignment.validate(alignment) == 1) {
            return builder.build();
        }
        Conv2d plain = builder.build(); // validates the builder
        if (plain.getDilation().size() != 1 || plain.getGroups() != 1) {
            throw new IllegalArgumentException("an aligned convolution has dilation 1 and one group");
        }
        return new AlignedConv2d(builder, alignment);
    }

    /**
     * Returns the channel alignment.
     *
     * @return the alignment
     */
    public int alignment() {
        return alignment;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
        return new NDList(ChannelAlignment.conv2d(input, w, b, stride, padding, alignment));
    }
}
