package io.github.lagrange4j.models.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file (or the tool that obtains it) is unusable, with the file and the fault named.
 *
 * <p>Every failure of the IDX reader, the MNIST data set and the MNIST fetcher is reported with this
 * exception, so that a caller can branch on {@link #fault()} and a person reads one precise message,
 * for example {@code "/data/train-labels-idx1-ubyte: wrong IDX magic 0x00000803, expected 0x00000801
 * (unsigned-byte labels, 1 dimension)"}.
 */
public final class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Fault {
        /** The file is absent from the data directory. */
        MISSING_FILE,
        /** The first four bytes are not the IDX magic number expected for this file. */
        WRONG_MAGIC,
        /** The file ends before its header or its declared items are complete. */
        TRUNCATED,
        /** The file holds bytes after the last item its header declares. */
        TRAILING_BYTES,
        /** The header declares dimensions that are not allowed (zero, negative, wrong image size). */
        BAD_DIMENSIONS,
        /** The images file and the labels file of one split hold different numbers of items. */
        COUNT_MISMATCH,
        /** The SHA-256 digest of the file differs from the published one. */
        CHECKSUM_MISMATCH,
        /** The {@code npm} executable could not be started. */
        NPM_UNAVAILABLE,
        /** {@code npm pack} ran but failed or produced no usable archive. */
        NPM_FAILED,
        /** The downloaded archive lacks a file that it should contain, or is not a valid tar.gz. */
        BAD_ARCHIVE,
        /** A package-manager tool ({@code apt-get}, {@code dpkg-deb}) could not be started. */
        APT_UNAVAILABLE,
        /** {@code apt-get download} or {@code dpkg-deb -x} ran but failed (e.g. no package lists yet). */
        APT_FAILED
    }

    private final transient Path file;
    private final Fault fault;

    /**
     * Creates the exception; the message is {@code file + ": " + detail}.
     *
     * @param file the file at fault (never {@code null})
     * @param fault what is wrong
     * @param detail a sentence on what is wrong, with the observed and the expected values
     */
    public DataFileException(Path file, Fault fault, String detail) {
        this(file, fault, detail, null);
    }

    /**
     * Creates the exception with a cause; the message is {@code file + ": " + detail}.
     *
     * @param file the file at fault (never {@code null})
     * @param fault what is wrong
     * @param detail a sentence on what is wrong, with the observed and the expected values
     * @param cause the underlying exception, or {@code null}
     */
    public DataFileException(Path file, Fault fault, String detail, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(detail, "detail"), cause);
        this.file = file;
        this.fault = Objects.requireNonNull(fault, "fault");
    }

    /**
     * Returns the file at fault.
     *
     * @return the file at fault
     */
    public Path file() {
        return file;
    }

    /**
     * Returns what is wrong with the file.
     *
     * @return the fault
     */
    public Fault fault() {
        return fault;
    }
}
