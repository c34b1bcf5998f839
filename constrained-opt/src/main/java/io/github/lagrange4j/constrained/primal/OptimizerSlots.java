package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The whole state of a {@link StatefulOptimizer}: per parameter key its buffers and step count, written and
 * read back exactly (the buffers' bytes, keys in sorted order, the rule's name checked on loading).
 */
final class OptimizerSlots {

    private static final String MAGIC = "lagrange4j-primal-optimizer";
    private static final int VERSION = 1;

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** The state of one parameter: its buffers (shaped like it) and how many updates it had. */
    static final class Slot {
        final NDArray[] buffers;
        long steps;

        Slot(NDArray[] buffers) {
            this.buffers = buffers;
        }
    }

    /**
     * Returns the slot of a key, creating it with fresh buffers on the key's first update.
     *
     * @param key the parameter key
     * @param buffers makes the buffers of a new slot
     * @return the slot
     */
    Slot slot(String key, Supplier<NDArray[]> buffers) {
        return slots.computeIfAbsent(key, k -> new Slot(buffers.get()));
    }

    /**
     * Returns the number of updates of a key.
     *
     * @param key the key
     * @return the step count, 0 if never updated
     */
    long steps(String key) {
        Slot s = slots.get(key);
        return s == null ? 0 : s.steps;
    }

    /**
     * Writes the per-key step counts and buffers (exact bytes).
     *
     * @param out the stream
     * @param rule the rule's name
     * @throws IOException on write failure
     */
    void save(DataOutputStream out, String rule) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(rule);
        Map<String, Slot> sorted = new TreeMap<>(slots);
        out.writeInt(sorted.size());
        for (Map.Entry<String, Slot> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().steps);
            out.writeInt(e.getValue().buffers.length);
            for (NDArray b : e.getValue().buffers) {
                byte[] bytes = b.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Replaces the state by one written by {@link #save}; buffers are created in {@code manager}.
     *
     * @param in the stream
     * @param manager the manager that will own the buffers
     * @param rule the rule's name, which the state must have been written by
     * @throws IOException on read failure or a state of another rule
     */
    void load(DataInputStream in, NDManager manager, String rule) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not a lagrange4j primal-optimizer state (or wrong version)");
        }
        String written = in.readUTF();
        if (!written.equals(rule)) {
            throw new IOException("state is for " + written + ", this optimizer is " + rule);
        }
        Map<String, Slot> loaded = new TreeMap<>();
        int n = in.readInt();
        for (int s = 0; s < n; s++) {
            String key = in.readUTF();
            long steps = in.readLong();
            NDArray[] buffers = new NDArray[in.readInt()];
            for (int i = 0; i < buffers.length; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                buffers[i] = NDArray.decode(manager, bytes);
                NDScope.unregister(buffers[i]);
            }
            Slot slot = new Slot(buffers);
            slot.steps = steps;
            loaded.put(key, slot);
        }
        for (Slot old : slots.values()) {
            for (NDArray b : old.buffers) {
                b.close();
            }
        }
        slots.clear();
        slots.putAll(loaded);
    }
}
