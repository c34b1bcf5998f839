package io.github.lagrange4j.constrained.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A view of a float32 array's own memory as a direct {@link ByteBuffer}, verified: what is written through the
 * view is what the engine then reads.
 *
 * <p>DJL's {@code toByteBuffer(true)} returns such a view on PyTorch for a contiguous array on the CPU; for a
 * strided array, another device or another engine it returns a copy, and writes into a copy would be lost. So
 * {@link #of} flips the lowest bit of the first element through the buffer, reads that element back (through
 * the engine, or through the memory of the array it must share, {@link #of(NDArray, NDArray)}), restores it
 * and keeps the buffer only if the flip was seen.
 *
 * <p>Users: {@code StatefulAdam}'s single pass, and the log α clamp of {@code l0-sparsity}. A view stays valid
 * while its array is open: check {@code NDArray.isReleased()} before writing through a kept view.
 */
public final class DirectMemory {

    private DirectMemory() {}

    /**
     * Returns a verified view of the array's memory in native byte order, or null if it has none.
     *
     * @param array a float32 array
     * @return the view, or null
     */
    public static ByteBuffer of(NDArray array) {
        return of(array, array);
    }

    /**
     * Returns a view of {@code array}'s memory in native byte order, verified to be the memory the engine reads
     * for {@code owner} (e.g. a gradient handed to an optimizer and the parameter's own gradient: the view is
     * kept only if it is that gradient's memory, not a copy of it), or null.
     *
     * <p>For two distinct arrays the flipped bit is read back through the owner's own view, which costs no
     * operation of the engine (this check runs at every update): the flip shows there only if both views are
     * one memory, and a view that is not an array's memory is a copy made for that one call (a strided array's
     * contiguous copy), which no other view shares. For the same array twice it is read back through the engine,
     * since nothing rules out an engine handing the same copy out twice.
     *
     * @param array a float32 array
     * @param owner an array of the same shape that must share its memory
     * @return the view, or null
     */
    public static ByteBuffer of(NDArray array, NDArray owner) {
        if (owner.getDataType() != DataType.FLOAT32 || !array.getShape().equals(owner.getShape())) {
            return null;
        }
        ByteBuffer buffer = view(array);
        ByteBuffer ownerView = array == owner || buffer == null ? null : view(owner);
        if (buffer == null || (array != owner && ownerView == null)) {
            return null;
        }
        int bits = buffer.getInt(0);
        int flipped = bits ^ 1;
        buffer.putInt(0, flipped);
        int seen = ownerView != null ? ownerView.getInt(0)
                : Float.floatToRawIntBits(owner.getFloat(new long[owner.getShape().dimension()]));
        buffer.putInt(0, bits);
        return seen == flipped ? buffer : null;
    }

    /** Returns the array's buffer from the engine if it is a writable direct float32 buffer of its size. */
    private static ByteBuffer view(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32 || array.size() == 0
                || array.size() > Integer.MAX_VALUE / Float.BYTES) {
            return null;
        }
        ByteBuffer buffer;
        try {
            buffer = array.toByteBuffer(true);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (!buffer.isDirect() || buffer.isReadOnly() || buffer.capacity() != array.size() * Float.BYTES) {
            return null;
        }
        return buffer.order(ByteOrder.nativeOrder());
    }
}
