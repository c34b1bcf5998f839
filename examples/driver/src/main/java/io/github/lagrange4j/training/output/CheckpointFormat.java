package io.github.lagrange4j.training.output;

import io.github.lagrange4j.models.data.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary layout of a checkpoint file (all integers big-endian). Every version starts with the same
 * 56-byte header:
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "L4JCKPT1" (ASCII; the same for every format version)
 *      8     4  format version: 2 (written by this build) or 1 (still read)
 *     12     4  epoch
 *     16     8  payload length n
 *     24    32  SHA-256 of the payload
 *     56     n  payload
 * </pre>
 *
 * <p>Version 2: the payload is a sequence of named, versioned, length-prefixed sections, each with a CRC-32 of
 * its body ({@link CheckpointSections} has the layout); which sections a training run writes and their bodies
 * are {@code TrainingState}'s. Version 1: the payload is one opaque block, the training state as the caller
 * serialised it (read by {@code TrainingState}'s version-1 reader); it is read but no longer written.
 *
 * <p>A file verifies when its magic and version are known, its epoch matches its file name, its size is
 * exactly {@code 56 + n}, the payload hashes to the stored digest and (version 2) its sections walk cleanly.
 * A fault names the section it is in where the file says so: a truncated payload the section it is cut in, a
 * digest mismatch the section whose CRC-32 fails.
 */
final class CheckpointFormat {

    static final byte[] MAGIC = "L4JCKPT1".getBytes(StandardCharsets.US_ASCII);
    /** The version this build writes. */
    static final int VERSION = 2;
    /** The version of checkpoints whose payload is one opaque block. */
    static final int VERSION_1 = 1;
    static final int HEADER_BYTES = 8 + 4 + 4 + 8 + 32;

    private CheckpointFormat() {}

    /** Returns the version-2 payload of {@code sections}. */
    static byte[] payload(List<CheckpointSection> sections) {
        return CheckpointSections.encode(sections);
    }

    /** Returns the version-2 header for {@code payload}. */
    static byte[] header(int epoch, byte[] payload) {
        return ByteBuffer.allocate(HEADER_BYTES)
                .put(MAGIC)
                .putInt(VERSION)
                .putInt(epoch)
                .putLong(payload.length)
                .put(Sha256.of(payload))
                .array();
    }

    /**
     * Reads and verifies {@code file}.
     *
     * @param expectedEpoch the epoch its file name announces
     * @return the verified checkpoint
     * @throws InvalidCheckpoint with a one-line description of the first fault found
     * @throws IOException if the file cannot be read at all
     */
    static Checkpoint read(Path file, int expectedEpoch) throws IOException {
        long size = Files.size(file);
        if (size < HEADER_BYTES) {
            throw new InvalidCheckpoint("truncated header: the file has " + size + " bytes, a header has "
                    + HEADER_BYTES);
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        int version;
        byte[] payload;
        try (InputStream in = Files.newInputStream(file)) {
            header.put(in.readNBytes(HEADER_BYTES)).flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidCheckpoint("bad magic " + HexFormat.of().formatHex(magic)
                        + " (expected \"L4JCKPT1\"): not a lagrange4j checkpoint");
            }
            version = header.getInt();
            if (version != VERSION && version != VERSION_1) {
                throw new InvalidCheckpoint("format version " + version + " is not supported (this build reads "
                        + VERSION_1 + " and " + VERSION + ")");
            }
            int epoch = header.getInt();
            if (epoch != expectedEpoch) {
                throw new InvalidCheckpoint("header epoch " + epoch + " does not match the file name's epoch "
                        + expectedEpoch);
            }
            long length = header.getLong();
            long actual = size - HEADER_BYTES;
            if (length < 0 || length > Integer.MAX_VALUE - 16) {
                throw new InvalidCheckpoint("header declares an impossible payload length " + length);
            }
            if (actual < length) {
                String where = version == VERSION ? locate(in.readNBytes((int) actual)) : "";
                throw new InvalidCheckpoint("truncated: the payload has " + actual + " of " + length + " bytes"
                        + where);
            }
            if (actual > length) {
                throw new InvalidCheckpoint((actual - length) + " unexpected bytes after the " + length
                        + "-byte payload");
            }
            payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new InvalidCheckpoint("truncated while reading: got " + payload.length + " of " + length
                        + " bytes");
            }
        }
        byte[] stored = new byte[32];
        header.get(stored);
        byte[] computed = Sha256.of(payload);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new InvalidCheckpoint("SHA-256 mismatch: the header says " + HexFormat.of().formatHex(stored)
                    + " but the payload hashes to " + HexFormat.of().formatHex(computed) + " (corrupted"
                    + (version == VERSION ? locate(payload) : "") + ")");
        }
        if (version == VERSION_1) {
            return new Checkpoint(expectedEpoch, VERSION_1, payload, List.of(), file);
        }
        CheckpointSections.Walk walk = CheckpointSections.walk(payload);
        if (walk.fault() != null) {
            throw new InvalidCheckpoint("malformed payload of format version 2: " + walk.fault());
        }
        return new Checkpoint(expectedEpoch, VERSION, payload, walk.sections(), file);
    }

    /** Where the sections of a damaged version-2 payload stop making sense, as a suffix of a fault. */
    private static String locate(byte[] payload) {
        CheckpointSections.Walk walk = CheckpointSections.walk(payload);
        return walk.fault() == null ? ", in the section table" : ": " + walk.fault();
    }

    /** A checkpoint file that was read but does not verify; the message is the fault. */
    static final class InvalidCheckpoint extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidCheckpoint(String fault) {
            super(fault);
        }
    }
}
