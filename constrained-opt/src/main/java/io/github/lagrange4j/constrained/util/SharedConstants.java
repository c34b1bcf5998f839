package io.github.lagrange4j.constrained.util;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scalar constants that are created once and shared by every step: the fixed numbers of a training step
 * (a temperature, a stretch interval, a group size, a target) as 0-dimensional arrays.
 *
 * <p>Why: a constant made per step costs three native calls and a freed tensor ({@link Scalars#constant}:
 * {@code zeros}, an in-place add, a close), and a gated step uses dozens of them. A shared constant costs
 * nothing after its first use and holds the same value bit for bit, so results do not change. Like
 * {@link Scalars#constant}, its memory is the engine's, so it is safe inside differentiated code.
 *
 * <p>Ownership: a shared constant belongs to this class (one long-lived manager per engine and device) and
 * lives as long as the JVM. Never close it, never modify it in place, and never make it the receiver of an
 * operation ({@code c.mul(x)} would create the result in the constant's manager): write {@code x.mul(c)}.
 * Use it for numbers that are fixed for a run; a number that changes every step belongs in
 * {@link ScalarArrays#of}. At most {@value #LIMIT} constants are shared; beyond that a fresh one is made in
 * {@code like}'s manager (the caller's scope closes it), so a caller never needs to know which it got.
 */
public final class SharedConstants {

    /** How many distinct constants are shared at most. */
    public static final int LIMIT = 1024;

    private static final ConcurrentHashMap<Key, NDArray> CONSTANTS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Owner, NDManager> OWNERS = new ConcurrentHashMap<>();

    private SharedConstants() {}

    /**
     * Returns the shared 0-dimensional constant {@code value} in the data type, engine and device of
     * {@code like}.
     *
     * @param like the array whose data type, engine and device to use
     * @param value the value (rounded to the data type, as {@link Scalars#constant} does)
     * @return the constant; do not close or modify it
     */
    public static NDArray of(NDArray like, double value) {
        NDManager manager = like.getManager();
        Device device = like.getDevice();
        DataType type = like.getDataType();
        String engine = manager.getEngine().getEngineName();
        Key key = new Key(engine, device, type, Double.doubleToLongBits(value));
        NDArray shared = CONSTANTS.get(key);
        if (shared != null && !shared.isReleased()) {
            return shared;
        }
        if (CONSTANTS.size() >= LIMIT) {
            return Scalars.constant(like, value);
        }
        return CONSTANTS.compute(key, (k, old) -> {
            if (old != null && !old.isReleased()) {
                return old;
            }
            NDManager owner = OWNERS.compute(new Owner(engine, device),
                    (o, m) -> m != null && m.isOpen() ? m : manager.getEngine().newBaseManager(device));
            NDArray c = Scalars.constant(owner, type, value);
            // made inside a step's NDScope, it would be closed with the step's temporaries
            NDScope.unregister(c);
            return c;
        });
    }

    private record Key(String engine, Device device, DataType type, long bits) {}

    private record Owner(String engine, Device device) {}
}
