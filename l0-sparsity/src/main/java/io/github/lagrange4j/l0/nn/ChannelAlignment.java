package io.github.lagrange4j.l0.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A 2-D convolution whose channel counts are rounded up to a multiple of an alignment {@code a} with zero
 * channels, so that the engine's kernels only ever see counts they compute right; it returns the same numbers
 * (up to the order of float32 sums) and the same gradients as the plain convolution.
 *
 * <p>Why: on some CPUs oneDNN's fast convolution kernels (AVX-512, AVX2) are wrong whenever a channel count is
 * not a multiple of their vector block, while they are right, and three to five times faster than the SSE4.1
 * kernels that are right everywhere, for aligned counts. Seen on a 2-vCPU AMD EPYC with PyTorch 2.7.1: the
 * forward pass is wrong when the input channels are 16 or more and not a multiple of 16, the input gradient
 * when the output channels are not a multiple of 16; inputs of fewer than 16 channels (an image's 1 or 3) take
 * other kernels and are right. The {@code lagrange4j} launcher's kernel check finds out which case a CPU is in
 * and, when aligned counts are what it takes, sets {@value #ENVIRONMENT_VARIABLE} for the blocks built in that
 * process.
 *
 * <p>The rule, for alignment {@code a > 1}: input channels {@code C ≥ a} become {@code ⌈C/a⌉·a} (zero input maps
 * and zero weights), fewer than {@code a} stay; output channels {@code F} become {@code ⌈F/a⌉·a} (zero filters
 * and biases) and the extra maps are sliced off the result. The zero input channels add exact zeros to every
 * sum; the zero filters' maps are discarded, so no gradient reaches them and the gradients of {@code x},
 * {@code W} and {@code b} are those of the plain convolution. {@code a = 1} is the plain convolution.
 */
public final class ChannelAlignment {

    /** The environment variable that sets the default alignment of the convolutions built in a process. */
    public static final String ENVIRONMENT_VARIABLE = "LAGRANGE4J_CONV_ALIGNMENT";

    /** The largest alignment accepted. */
    public static final int MAX_ALIGNMENT = 256;

    private static final Shape NO_DILATION = new Shape(1, 1);

    private ChannelAlignment() {}

    /**
     * Returns the alignment set by {@value #ENVIRONMENT_VARIABLE}, or 1 (plain convolutions) when it is unset
     * or blank.
     *
     * @return the process's default alignment
     * @throws IllegalArgumentException if the variable is not an integer in {@code [1, 256]}
     */
    public static int fromEnvironment() {
        return parse(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /**
     * Parses an alignment as the environment variable would hold it.
     *
     * @param value the text, or null
     * @return the alignment, 1 for null or blank text
     * @throws IllegalArgumentException if the text is not an integer in {@code [1, 256]}
     */
    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            return validate(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    ENVIRONMENT_VARIABLE + " must be an integer in [1, " + MAX_ALIGNMENT + "], got '" + value + "'", e);
        }
    }

    /**
     * Checks an alignment.
     *
     * @param alignment the alignment
     * @return the alignment
     * @throws IllegalArgumentException if it is not in {@code [1, 256]}
     */
    public static int validate(int alignment) {
        if (alignment < 1 || alignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException(
                    "channel alignment must be in [1, " + MAX_ALIGNMENT + "], got " + alignment);
        }
        return alignment;
    }

    /**
     * Returns the input channels the kernels see: {@code C} if {@code C < a}, otherwise {@code ⌈C/a⌉·a}.
     *
     * @param channels the input channels {@code C}
     * @param alignment the alignment {@code a}
     * @return the padded count
     */
    public static long paddedInputs(long channels, int alignment) {
        return channels < alignment ? channels : roundUp(channels, alignment);
    }

    /**
     * Returns the output channels the kernels see: {@code ⌈F/a⌉·a}.
     *
     * @param filters the output channels {@code F}
     * @param alignment the alignment {@code a}
     * @return the padded count
     */
    public static long paddedOutputs(long filters, int alignment) {
        return roundUp(filters, alignment);
    }

    private static long roundUp(long n, int alignment) {
        return (n + alignment - 1) / alignment * alignment;
    }

    /**
     * Convolves {@code x (N, C, H, W)} with {@code w (F, C, kh, kw)} and {@code b (F)} (or no bias), dilation 1
     * and one group, through kernels that see aligned channel counts.
     *
     * @param x the input
     * @param w the filters
     * @param b the biases, or null
     * @param stride the stride
     * @param padding the zero padding of the maps
     * @param alignment the alignment {@code a ≥ 1}
     * @return {@code (N, F, H', W')}, as {@link Conv2d#conv2d} returns it
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, int alignment) {
        Shape ws = w.getShape();
        long filters = ws.get(0);
        long channels = ws.get(1);
        long inputs = paddedInputs(channels, alignment);
        long outputs = paddedOutputs(filters, alignment);
        if (inputs == channels && outputs == filters) {
            return Conv2d.conv2d(x, w, b, stride, padding, NO_DILATION).singletonOrThrow();
        }
        NDManager manager = x.getManager();
        NDArray input = x;
        NDArray weight = w;
        NDArray bias = b;
        if (inputs > channels) {
            Shape xs = x.getShape();
            long extra = inputs - channels;
            input = x.concat(manager.zeros(new Shape(xs.get(0), extra, xs.get(2), xs.get(3)), x.getDataType()), 1);
            weight = weight.concat(manager.zeros(new Shape(filters, extra, ws.get(2), ws.get(3)), w.getDataType()), 1);
        }
        if (outputs > filters) {
            long extra = outputs - filters;
            weight = weight.concat(manager.zeros(new Shape(extra, inputs, ws.get(2), ws.get(3)), w.getDataType()), 0);
            bias = b == null ? null : b.concat(manager.zeros(new Shape(extra), b.getDataType()), 0);
        }
        NDArray y = Conv2d.conv2d(input, weight, bias, stride, padding, NO_DILATION).singletonOrThrow();
        return outputs > filters ? y.get(":, :" + filters) : y;
    }
}
