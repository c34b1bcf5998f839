package io.github.lagrange4j.constrained.primal;

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
 * {@link #of} flips the lowest bit of the first element through the buffer, reads that element back through
 * the engine, restores it and keeps the buffer only if the engine saw the flip. It costs a few native calls,
 * so callers verify an array once and keep the view as long as they keep the array.
 */
final class DirectMemory {

    private DirectMemory() {}

    /**
     * Returns a verified view of the array's memory in native byte order, or null if it has none.
     *
     * @param array a float32 array
     * @return the view, or null
     */
    static ByteBuffer of(NDArray array) {
        return of(array, array);
    }

    /**
     * Returns a view of {@code array}'s memory in native byte order, verified to be the memory the engine reads
     * for {@code owner} (e.g. a gradient handed to an optimizer and the parameter's own gradient: the view is
     * kept only if it is that gradient's memory, not a copy of it), or null.
     *
     * @param array a float32 array
     * @param owner an array of the same shape that must share its memory
     * @return the view, or null
     */
    static ByteBuffer of(NDArray array, NDArray owner) {
        if (array.getDataType() != DataType.FLOAT32 || owner.getDataType() != DataType.FLOAT32 || array.size() == 0
                || array.size() > Integer.MAX_VALUE / Float.BYTES || !array.getShape().equals(owner.getShape())) {
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
        buffer.order(ByteOrder.nativeOrder());
        int bits = buffer.getInt(0);
        int flipped = bits ^ 1;
        buffer.putInt(0, flipped);
        float seen = owner.getFloat(new long[owner.getShape().dimension()]);
        buffer.putInt(0, bits);
        return Float.floatToRawIntBits(seen) == flipped ? buffer : null;
    }
}
