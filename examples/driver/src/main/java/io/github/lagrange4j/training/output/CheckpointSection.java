package io.github.lagrange4j.training.output;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named, versioned part of a checkpoint of format version 2 (e.g. {@code "parameters"}, {@code "dual"}),
 * whose body is written and read by the code that owns that part ({@link CheckpointFormat} frames it).
 *
 * <p>Order of calls: to save, {@link #write(String, int, BodyWriter)} per part, then {@link
 * CheckpointStore#save(int, java.util.List)}; to restore, {@link Checkpoint#section(String)} then {@link
 * #read(int, BodyReader)}, which checks the version and that the reader consumed the whole body, and puts the
 * section's name and version in front of every error.
 *
 * @param name the section's name: lower-case letters, digits and dashes, 1 to 64 characters
 * @param version the version of the body's layout, {@code >= 1}
 * @param body the body (not copied: the record owns it)
 */
public record CheckpointSection(String name, int version, byte[] body) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** Validates the components. */
    public CheckpointSection {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("section name must be 1 to 64 lower-case letters, digits or dashes,"
                    + " got " + name);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version of section '" + name + "' must be >= 1, got " + version);
        }
        Objects.requireNonNull(body, "body");
    }

    /**
     * Builds a section from what {@code writer} writes.
     *
     * @param name the section's name
     * @param version the version of the layout the writer writes
     * @param writer writes the body
     * @return the section
     * @throws IOException if the writer fails
     */
    public static CheckpointSection write(String name, int version, BodyWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return new CheckpointSection(name, version, bytes.toByteArray());
    }

    /**
     * Reads the body with {@code reader}.
     *
     * @param newestVersion the newest layout version the reader understands (it reads 1 to this)
     * @param reader reads the body of the given version
     * @param <T> what the reader returns
     * @return what the reader returned
     * @throws IOException naming this section and its version: if the version is unknown, the body ends early,
     *     the reader fails, or bytes are left unread
     */
    public <T> T read(int newestVersion, BodyReader<T> reader) throws IOException {
        if (version > newestVersion) {
            throw new IOException(describe() + " is not supported: this build reads versions 1 to " + newestVersion);
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        T result;
        try (DataInputStream in = new DataInputStream(bytes)) {
            result = reader.read(in, version);
        } catch (EOFException e) {
            throw new IOException(describe() + " ends before its reader is done (" + body.length + " bytes)", e);
        } catch (IOException | RuntimeException e) {
            throw new IOException(describe() + ": " + e.getMessage(), e);
        }
        if (bytes.available() > 0) {
            throw new IOException(describe() + ": " + bytes.available() + " of its " + body.length
                    + " bytes were left unread (the body does not have the layout of its version)");
        }
        return result;
    }

    /**
     * Names the section in messages.
     *
     * @return e.g. {@code section 'dual' (version 1)}
     */
    public String describe() {
        return "section '" + name + "' (version " + version + ")";
    }

    /** Writes a section's body. */
    @FunctionalInterface
    public interface BodyWriter {
        /**
         * Writes the body.
         *
         * @param out the stream
         * @throws IOException on write failure
         */
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Reads a section's body.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface BodyReader<T> {
        /**
         * Reads the body.
         *
         * @param in the body
         * @param version the body's layout version, {@code 1 ≤ version ≤ newestVersion}
         * @return the result
         * @throws IOException if the body does not fit
         */
        T read(DataInputStream in, int version) throws IOException;
    }
}
