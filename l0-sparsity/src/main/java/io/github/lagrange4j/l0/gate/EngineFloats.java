package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.constrained.util.DirectMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Float32 vectors moved between Java and the engine without the copies and JVM buffers of {@code
 * manager.create(float[])} and {@code toFloatArray()}.
 *
 * <p>{@link #of} makes the array with the engine ({@code zeros}: memory the engine owns, which autograd may keep
 * for the backward pass after DJL closes its handle, unlike an array made from a JVM buffer, see {@code
 * Scalars}) and writes the values through a view of that memory. Whether an engine and device hand out such a
 * view is checked once per engine and device ({@link DirectMemory}); where they do not, the array is made from
 * the values as usual. {@link #read} reads through a view where the engine gives one (a copy otherwise, read
 * the same way).
 */
public final class EngineFloats {

    private static final Map<String, Boolean> WRITABLE = new ConcurrentHashMap<>();

    private EngineFloats() {}

    /**
     * Returns a 1-D float32 array of the values, owned by {@code manager}.
     *
     * @param manager the manager that owns the result
     * @param values the values
     * @return the array
     */
    public static NDArray of(NDManager manager, float[] values) {
        String key = manager.getEngine().getEngineName() + "/" + manager.getDevice();
        Boolean writable = WRITABLE.get(key);
        if (Boolean.FALSE.equals(writable) || values.length == 0) {
            return manager.create(values);
        }
        NDArray array = manager.zeros(new Shape(values.length), DataType.FLOAT32);
        ByteBuffer view = null;
        if (writable == null) {
            view = DirectMemory.of(array);
            WRITABLE.put(key, view != null);
        } else {
            view = array.toByteBuffer(true).order(ByteOrder.nativeOrder());
        }
        if (view == null || !view.isDirect() || view.capacity() != values.length * Float.BYTES) {
            array.close();
            return manager.create(values);
        }
        view.asFloatBuffer().put(values, 0, values.length);
        return array;
    }

    /**
     * Reads a float32 array's values in order.
     *
     * @param array a float32 array
     * @return its values
     */
    public static float[] read(NDArray array) {
        float[] values = new float[Math.toIntExact(array.size())];
        array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        return values;
    }
}
