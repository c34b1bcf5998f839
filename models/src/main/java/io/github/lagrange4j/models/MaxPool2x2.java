package io.github.lagrange4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * LeNet-5's 2×2 max-pooling with stride 2: DJL's {@code maxPool2d} where a gradient flows, and a faster
 * forward-only form where none does (evaluation, inference).
 *
 * <p>Why: PyTorch's CPU max-pooling of an NCHW array walks every window element by element and records the
 * index of each maximum for the backward pass. Measured here (2-core AMD EPYC, PyTorch 2.7.1) on LeNet's first
 * pooling input, 128×20×24×24: 5.5-5.8 ms a call, against 0.8 ms for the element-wise maximum of the window's
 * four strided views {@code x[..., i::2, j::2]}, which is what this block computes when no gradient is needed.
 * The maximum is exact, so both give the same numbers bit for bit, and a NaN wherever the window holds one
 * ({@code MaxPool2x2Test}). With
 * a gradient the strided form is slower (the backward of three {@code maximum}s and four slices), so training
 * keeps DJL's pooling.
 *
 * <p>The forward-only form is used for a 4-dimensional input with even height and width that does not
 * require a gradient, on PyTorch; everything else goes to {@code Pool.maxPool2d} unchanged. The block is a
 * {@link LambdaBlock}, so saved models read and write exactly as with {@code Pool.maxPool2dBlock}.
 */
public final class MaxPool2x2 {

    private static final Shape WINDOW = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final NDIndex[] CORNERS = {
        new NDIndex(":, :, 0::2, 0::2"),
        new NDIndex(":, :, 0::2, 1::2"),
        new NDIndex(":, :, 1::2, 0::2"),
        new NDIndex(":, :, 1::2, 1::2")
    };

    private MaxPool2x2() {}

    /**
     * Returns the pooling block.
     *
     * @return a block that max-pools 2×2 windows with stride 2
     */
    public static Block block() {
        return new LambdaBlock(list -> new NDList(pool(list.singletonOrThrow())), "maxPool2d");
    }

    /**
     * Max-pools 2×2 windows with stride 2 and no padding.
     *
     * @param x an array of shape (N, C, H, W)
     * @return the pooled array, (N, C, ⌊H/2⌋, ⌊W/2⌋)
     */
    public static NDArray pool(NDArray x) {
        if (!forwardOnly(x)) {
            return Pool.maxPool2d(x, WINDOW, WINDOW, NO_PADDING, false);
        }
        try (NDArray a = x.get(CORNERS[0]);
                NDArray b = x.get(CORNERS[1]);
                NDArray c = x.get(CORNERS[2]);
                NDArray d = x.get(CORNERS[3]);
                NDArray top = a.maximum(b);
                NDArray bottom = c.maximum(d)) {
            return top.maximum(bottom);
        }
    }

    private static boolean forwardOnly(NDArray x) {
        Shape s = x.getShape();
        return s.dimension() == 4
                && s.get(2) % 2 == 0
                && s.get(3) % 2 == 0
                && "PyTorch".equals(x.getManager().getEngine().getEngineName())
                && !x.hasGradient();
    }
}
