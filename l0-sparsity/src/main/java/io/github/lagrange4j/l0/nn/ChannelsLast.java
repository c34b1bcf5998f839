package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Locale;

/**
 * A 2-D convolution computed in the channels-last (NHWC) memory layout: the arrays keep their logical shape
 * {@code (N, C, H, W)}, but their memory holds the channels of a pixel next to each other. The numbers are those
 * of the plain convolution (up to the order of float32 sums); only the engine's kernels and the memory order
 * change.
 *
 * <p>Why: PyTorch hands a convolution whose input is laid out channels-last to oneDNN's NHWC kernels, and keeps
 * the output channels-last, so the max-pooling and ReLU after it run PyTorch's channels-last kernels too. On a
 * 2-vCPU AMD EPYC with PyTorch 2.7.1 (oneDNN 3.7.1), where the default NCHW kernels are wrong for channel counts
 * that are not a multiple of 16 ({@link ChannelAlignment}), the NHWC kernels are right for every count checked
 * (forward and both gradients against float64, 3 to 50 input channels), and LeNet-5's training step is about a
 * fifth faster than with channels padded to 16: no zero channels, no reorders between blocked and plain
 * layouts, and a pooling vectorised over the channels instead of one walking each window. The {@code lagrange4j}
 * launcher's kernel check decides per CPU whether to use it and then sets {@value #ENVIRONMENT_VARIABLE}.
 *
 * <p>The layout is told to PyTorch by the strides alone: {@code x (N, C, H, W)} becomes
 * {@code x.transpose(0, 2, 3, 1)} copied to contiguous memory and viewed back as {@code (N, C, H, W)}, a copy
 * only when {@code x} is not channels-last already (a view otherwise). A 1-channel input is ambiguous (both
 * layouts have the same strides, and PyTorch then takes NCHW), so it gets a second, zero channel and the filters
 * a zero input slice: the zero channel adds exact zeros to every sum and its gradient is discarded. Other
 * engines than PyTorch compute the plain convolution: the strides mean nothing to them.
 */
public final class ChannelsLast {

    /** The environment variable that makes the convolutions built in a process channels-last. */
    public static final String ENVIRONMENT_VARIABLE = "LAGRANGE4J_CONV_LAYOUT";

    /** The value of {@value #ENVIRONMENT_VARIABLE} that selects the channels-last layout. */
    public static final String CHANNELS_LAST = "channels-last";

    /** The value of {@value #ENVIRONMENT_VARIABLE} that selects the plain (NCHW) layout, the default. */
    public static final String NCHW = "nchw";

    private static final Shape NO_DILATION = new Shape(1, 1);

    private ChannelsLast() {}

    /**
     * Tells whether {@value #ENVIRONMENT_VARIABLE} selects the channels-last layout.
     *
     * @return true for {@value #CHANNELS_LAST}, false when unset, blank or {@value #NCHW}
     * @throws IllegalArgumentException for any other value
     */
    public static boolean fromEnvironment() {
        return parse(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /**
     * Parses the layout as the environment variable would hold it.
     *
     * @param value the text, or null
     * @return whether it selects channels-last
     * @throws IllegalArgumentException for a value that is neither layout
     */
    static boolean parse(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(CHANNELS_LAST)) {
            return true;
        }
        if (v.equals(NCHW)) {
            return false;
        }
        throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be " + CHANNELS_LAST + " or " + NCHW
                + ", got '" + value + "'");
    }

    /**
     * Tells whether a manager's engine takes the layout from the strides (PyTorch); on others this class computes
     * the plain convolution and plain zero maps.
     *
     * @param manager the manager of the arrays
     * @return whether the channels-last form applies
     */
    static boolean applies(NDManager manager) {
        return "PyTorch".equals(manager.getEngine().getEngineName());
    }

    /**
     * Returns {@code x (N, C, H, W)} laid out channels-last, with the same shape and numbers (and gradient
     * path): a view when it is channels-last already, a copy otherwise.
     *
     * @param x a 4-D array
     * @return the array in channels-last memory order
     */
    public static NDArray layout(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /**
     * Convolves {@code x (N, C, H, W)} with {@code w (F, C, kh, kw)} and {@code b (F)} (or no bias), dilation 1
     * and one group, in the channels-last layout (on PyTorch; the plain convolution elsewhere).
     *
     * @param x the input, in either layout
     * @param w the filters
     * @param b the biases, or null
     * @param stride the stride
     * @param padding the zero padding of the maps
     * @return {@code (N, F, H', W')}, channels-last on PyTorch
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding) {
        if (!applies(x.getManager())) {
            return Conv2d.conv2d(x, w, b, stride, padding, NO_DILATION).singletonOrThrow();
        }
        NDArray input;
        NDArray weight = w;
        Shape ws = w.getShape();
        if (ws.get(1) == 1) {
            Shape s = x.getShape();
            NDManager manager = x.getManager();
            NDArray pixels = x.reshape(s.get(0), s.get(2), s.get(3), 1);
            input = pixels.concat(manager.zeros(pixels.getShape(), x.getDataType()), 3).transpose(0, 3, 1, 2);
            weight = w.concat(manager.zeros(ws, w.getDataType()), 1);
        } else {
            input = layout(x);
        }
        return Conv2d.conv2d(input, weight, b, stride, padding, NO_DILATION).singletonOrThrow();
    }

    /**
     * Convolves in a layer's kernel form: channels-last when asked (it takes precedence), otherwise NCHW through
     * {@link ChannelAlignment} with the given alignment (1: the plain convolution).
     *
     * @param x the input
     * @param w the filters
     * @param b the biases, or null
     * @param stride the stride
     * @param padding the zero padding of the maps
     * @param channelsLast whether to compute channels-last
     * @param alignment the channel alignment of the NCHW form, {@code ≥ 1}
     * @return {@code (N, F, H', W')}
     */
    public static NDArray conv2d(
            NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, boolean channelsLast, int alignment) {
        return channelsLast
                ? conv2d(x, w, b, stride, padding)
                : ChannelAlignment.conv2d(x, w, b, stride, padding, alignment);
    }

    /**
     * Returns zero maps {@code (N, C, H, W)} laid out channels-last on PyTorch (plain elsewhere): the target a
     * layer writes the maps of its live filters into.
     *
     * @param manager the manager
     * @param shape the logical shape {@code (N, C, H, W)}
     * @param type the data type
     * @return the zero maps
     */
    public static NDArray zeros(NDManager manager, Shape shape, DataType type) {
        if (!applies(manager)) {
            return manager.zeros(shape, type);
        }
        return manager.zeros(new Shape(shape.get(0), shape.get(2), shape.get(3), shape.get(1)), type)
                .transpose(0, 3, 1, 2);
    }
}
