package io.github.lagrange4j.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * LeNet-5's 2×2 max-pooling with stride 2: DJL's {@code maxPool2d} in training, a faster forward-only form
 * in inference (evaluation, export).
 *
 * <p>Why: PyTorch's CPU max-pooling of an NCHW array walks every window element by element and records the
 * index of each maximum for the backward pass. Measured here (2-core AMD EPYC, PyTorch 2.7.1) on LeNet's first
 * pooling input, 128×20×24×24: 5.5-5.8 ms a call, against 0.8 ms for the element-wise maximum of the window's
 * four strided views {@code x[..., i::2, j::2]}, which is what this block computes when it is not training.
 * The maximum is exact, so both give the same numbers bit for bit, and a NaN wherever the window holds one
 * ({@code MaxPool2x2Test}). With a gradient the strided form is slower (the backward of three
 * {@code maximum}s and four slices), so training keeps DJL's pooling.
 *
 * <p>The forward-only form is used for a 4-dimensional input with even height and width, on PyTorch;
 * everything else goes to {@code Pool.maxPool2d}. The block writes and reads what
 * {@code Pool.maxPool2dBlock} (a {@code LambdaBlock}) writes: encoding version 2 and the input shapes, so
 * saved models and checkpoints are unchanged.
 */
public final class MaxPool2x2 extends AbstractBlock {

    /** The encoding of DJL's {@code LambdaBlock}: the version byte, then the input shapes. */
    private static final byte VERSION = 2;

    private static final Shape WINDOW = new Shape(2, 2);
    private static final Shape NO_PADDING = new Shape(0, 0);
    private static final NDIndex[] CORNERS = {
        new NDIndex(":, :, 0::2, 0::2"),
        new NDIndex(":, :, 0::2, 1::2"),
        new NDIndex(":, :, 1::2, 0::2"),
        new NDIndex(":, :, 1::2, 1::2")
    };

    /** Creates the block. */
    public MaxPool2x2() {
        super(VERSION);
    }

    /**
     * Returns a new pooling block.
     *
     * @return a block that max-pools 2×2 windows with stride 2
     */
    public static Block block() {
        return new MaxPool2x2();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(training ? Pool.maxPool2d(x, WINDOW, WINDOW, NO_PADDING, false) : forwardOnly(x));
    }

    /**
     * Max-pools 2×2 windows with stride 2 and no padding, for a forward pass that no gradient goes through.
     *
     * @param x an array of shape (N, C, H, W)
     * @return the pooled array, (N, C, ⌊H/2⌋, ⌊W/2⌋)
     */
    public static NDArray forwardOnly(NDArray x) {
        Shape s = x.getShape();
        boolean strided = s.dimension() == 4
                && s.get(2) % 2 == 0
                && s.get(3) % 2 == 0
                && "PyTorch".equals(x.getManager().getEngine().getEngineName());
        if (!strided) {
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

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2)};
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion == VERSION) {
            readInputShapes(is);
        } else if (loadVersion != 1) {
            throw new MalformedModelException("Unsupported MaxPool2x2 encoding version: " + loadVersion);
        }
    }
}
