package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed.
 *
 * <p>An IDX file is a big-endian header followed by unsigned bytes: the magic number {@code 0x0000TTDD}
 * (type {@code TT = 0x08} for unsigned bytes, {@code DD} dimensions), then {@code DD} 32-bit sizes, then
 * the items. Images use {@code 0x00000803} (count, rows, columns); labels use {@code 0x00000801}
 * (count). Format by LeCun, Cortes and Burges, "The MNIST database of handwritten digits" (1998).
 *
 * <p>Compression is recognised from the content (the gzip magic bytes {@code 1f 8b}), not from the file
 * name. Every fault is a {@link DataFileException} naming the file and the fault; nothing is read past
 * what the header declares, and a file longer or shorter than its header declares is rejected.
 */
public final class IdxReader {

    /** The magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;

    private IdxReader() {}

    /**
     * Reads an IDX image file.
     *
     * @param file the file, raw or gzip-compressed
     * @return the images
     * @throws DataFileException if the file is missing, has the wrong magic number, declares bad
     *     dimensions, is truncated or has trailing bytes
     * @throws IOException if the file cannot be read
     */
    public static IdxImages readImages(Path file) throws IOException {
        byte[] bytes = readContent(file);
        requireHeader(file, bytes, IMAGES_HEADER_BYTES, IMAGES_MAGIC, "unsigned-byte images, 3 dimensions");
        int count = readInt(bytes, 4);
        int rows = readInt(bytes, 8);
        int columns = readInt(bytes, 12);
        if (count < 1 || rows < 1 || columns < 1) {
            throw new DataFileException(file, Fault.BAD_DIMENSIONS, String.format(
                    "header declares %d images of %d x %d pixels; each must be >= 1", count, rows, columns));
        }
        long payload = (long) count * rows * columns;
        requireLength(file, bytes, IMAGES_HEADER_BYTES, payload,
                String.format("%d images of %d x %d pixels", count, rows, columns));
        byte[] pixels = Arrays.copyOfRange(bytes, IMAGES_HEADER_BYTES, IMAGES_HEADER_BYTES + (int) payload);
        return new IdxImages(count, rows, columns, pixels);
    }

    /**
     * Reads an IDX label file.
     *
     * @param file the file, raw or gzip-compressed
     * @return the labels
     * @throws DataFileException if the file is missing, has the wrong magic number, declares bad
     *     dimensions, is truncated or has trailing bytes
     * @throws IOException if the file cannot be read
     */
    public static IdxLabels readLabels(Path file) throws IOException {
        byte[] bytes = readContent(file);
        requireHeader(file, bytes, LABELS_HEADER_BYTES, LABELS_MAGIC, "unsigned-byte labels, 1 dimension");
        int count = readInt(bytes, 4);
        if (count < 1) {
            throw new DataFileException(file, Fault.BAD_DIMENSIONS,
                    "header declares " + count + " labels; the count must be >= 1");
        }
        requireLength(file, bytes, LABELS_HEADER_BYTES, count, count + " labels");
        return new IdxLabels(Arrays.copyOfRange(bytes, LABELS_HEADER_BYTES, LABELS_HEADER_BYTES + count));
    }

    /**
     * Returns the decompressed bytes of a file, decompressing gzip content.
     *
     * @param file the file
     * @return the raw IDX bytes
     * @throws IOException if the file is missing, unreadable or a broken gzip stream
     */
    static byte[] readContent(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, Fault.MISSING_FILE, "file not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1f || (bytes[1] & 0xFF) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new DataFileException(file, Fault.TRUNCATED,
                    "gzip stream ends early (" + bytes.length + " compressed bytes): the file is truncated", e);
        } catch (ZipException e) {
            throw new DataFileException(file, Fault.TRUNCATED,
                    "gzip stream is corrupt (" + e.getMessage() + ")", e);
        }
    }

    private static void requireHeader(Path file, byte[] bytes, int headerBytes, int magic, String what)
            throws DataFileException {
        if (bytes.length < 4) {
            throw new DataFileException(file, Fault.TRUNCATED, String.format(
                    "file has %d bytes, fewer than the 4-byte IDX magic number 0x%08X (%s)",
                    bytes.length, magic, what));
        }
        int found = readInt(bytes, 0);
        if (found != magic) {
            throw new DataFileException(file, Fault.WRONG_MAGIC, String.format(
                    "wrong IDX magic number 0x%08X, expected 0x%08X (%s)", found, magic, what));
        }
        if (bytes.length < headerBytes) {
            throw new DataFileException(file, Fault.TRUNCATED, String.format(
                    "file has %d bytes, fewer than the %d-byte IDX header (%s)", bytes.length, headerBytes, what));
        }
    }

    private static void requireLength(Path file, byte[] bytes, int headerBytes, long payload, String declared)
            throws DataFileException {
        long expected = headerBytes + payload;
        if (bytes.length < expected) {
            throw new DataFileException(file, Fault.TRUNCATED, String.format(
                    "file is truncated: header declares %s (%d bytes with the header) but the file has %d bytes",
                    declared, expected, bytes.length));
        }
        if (bytes.length > expected) {
            throw new DataFileException(file, Fault.TRAILING_BYTES, String.format(
                    "file has %d bytes after the %s its header declares (%d bytes expected, %d found)",
                    bytes.length - expected, declared, expected, bytes.length));
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24)
                | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8)
                | (bytes[offset + 3] & 0xFF);
    }
}
