package io.github.lagrange4j.constrained.primal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The header every saved {@link PrimalOptimizer} state starts with: the kind of primal side that wrote it and
 * the version of that kind's layout, so that a state is never read by a primal side of another kind or an
 * unknown layout.
 *
 * <pre>
 * size   field
 * 2 + m  kind (DataOutput.writeUTF: 2-byte length, modified UTF-8), e.g. "stateless", "parameter-optimizer",
 *        "trainer"
 *     4  layout version of that kind (big-endian int, from 1)
 *     …  the kind's own body (nothing for "stateless")
 * </pre>
 *
 * <p>Order of calls: a primal side's {@code saveState} calls {@link #write} and then writes its body; its
 * {@code loadState} calls {@link #read} (which fails naming both kinds, or the version) and then reads the
 * body of the version returned.
 */
public final class PrimalState {

    /** The kind written by a primal side without state ({@link PrimalOptimizer}'s default). */
    public static final String STATELESS = "stateless";

    private PrimalState() {}

    /**
     * Writes the header.
     *
     * @param out the stream
     * @param kind the kind of primal side, non-blank
     * @param version the layout version of its body, {@code >= 1}
     * @throws IOException on write failure
     */
    public static void write(DataOutputStream out, String kind, int version) throws IOException {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("kind must be a non-blank text, got " + kind);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
        out.writeUTF(kind);
        out.writeInt(version);
    }

    /**
     * Reads the header and checks it.
     *
     * @param in the stream
     * @param kind the kind of the primal side loading it
     * @param newestVersion the newest layout version this primal side reads (it reads 1 to newest)
     * @return the layout version of the body that follows
     * @throws IOException if the state was written by another kind of primal side or in an unknown version
     */
    public static int read(DataInputStream in, String kind, int newestVersion) throws IOException {
        String saved = in.readUTF();
        int version = in.readInt();
        if (!saved.equals(kind)) {
            throw new IOException("the primal optimizer state was written by a primal side of kind '" + saved
                    + "' (version " + version + "), this primal optimizer is of kind '" + kind + "'");
        }
        if (version < 1 || version > newestVersion) {
            throw new IOException("primal optimizer state '" + kind + "' version " + version
                    + " is not supported (this build reads 1 to " + newestVersion + ")");
        }
        return version;
    }
}
