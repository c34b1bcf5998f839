package io.github.lagrange4j.training.output;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Crash-safe file writes: the content goes to a temporary file in the target's directory, is forced to
 * disk, and is then renamed over the target in one atomic step.
 *
 * <p>Protocol of every write: (1) create {@code .<name>.<random>.tmp} next to the target; (2) write the
 * content; (3) {@link FileChannel#force(boolean) fsync} the file; (4) {@link Files#move move} it onto the
 * target with {@code ATOMIC_MOVE, REPLACE_EXISTING}; (5) fsync the directory where the platform allows
 * it. If any step fails (including an exception thrown by the caller's writer) the temporary file is
 * deleted and the old target, if any, is left untouched; readers therefore see either the old or the new
 * content, never a prefix of the new one. A process killed between steps (1) and (4) leaves a stray
 * {@code .<name>.<random>.lagrange4j-tmp} file that {@link #deleteStaleTemporaries(Path)} removes
 * (nothing else: a foreign {@code *.tmp} file stays).
 *
 * <p>Not safe for two writers of the same target at once; the last rename wins.
 */
public final class AtomicFiles {

    /**
     * Suffix of the temporary files created by this class; distinctive, so that cleaning a directory
     * removes only this project's leftovers and never another program's {@code *.tmp} file.
     */
    public static final String TEMP_SUFFIX = ".lagrange4j-tmp";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /**
     * Writes the content produced by {@code writer} to {@code target} atomically.
     *
     * @param target the file to create or replace; its parent directory is created if missing
     * @param writer writes the whole content to the stream it is given (it must not close it)
     * @throws IOException if writing, syncing or renaming fails, or {@code writer} throws; the target
     *     then keeps its old content. A failure of the file system (disk full, permission denied) is
     *     reported as a {@link java.nio.file.FileSystemException} naming the target, with the cause's reason
     */
    public static void write(Path target, ContentWriter writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path name = absolute.getFileName();
        if (directory == null || name == null) {
            throw new IllegalArgumentException("target must name a file, got " + target);
        }
        Path temp = directory.resolve("." + name + "." + Long.toHexString(RANDOM.nextLong()) + TEMP_SUFFIX);
        FileChannel channel;
        try {
            Files.createDirectories(directory);
            // CREATE_NEW with the process umask (Files.createTempFile would make the target owner-only).
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw namingTarget(absolute, e);
        }
        boolean moved = false;
        try {
            try (channel;
                    OutputStream out = Channels.newOutputStream(channel)) {
                writer.writeTo(new NonClosingOutputStream(out));
                out.flush();
                channel.force(true);
            }
            move(temp, absolute);
            moved = true;
        } catch (FileSystemException e) {
            // a failed rename names the temporary file: name the target the caller asked for
            throw temp.toString().equals(e.getFile()) ? namingTarget(absolute, e) : e;
        } catch (IOException e) {
            // e.g. "No space left on device" from a write or fsync names no file: name the target
            throw namingTarget(absolute, e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
        syncDirectory(directory);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param bytes the complete new content
     * @throws IOException if the write fails; the target then keeps its old content
     */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code text} to {@code target} atomically, encoded as UTF-8.
     *
     * @param target the file to create or replace
     * @param text the complete new content
     * @throws IOException if the write fails; the target then keeps its old content
     */
    public static void writeText(Path target, CharSequence text) throws IOException {
        Objects.requireNonNull(text, "text");
        writeBytes(target, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Encodes {@code image} as PNG and writes it to {@code target} atomically.
     *
     * @param target the {@code .png} file to create or replace
     * @param image the image to encode
     * @throws IOException if encoding or writing fails; the target then keeps its old content
     */
    public static void writePng(Path target, RenderedImage image) throws IOException {
        Objects.requireNonNull(image, "image");
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for " + target);
            }
        });
    }

    /**
     * Deletes the temporary files ({@code .*.lagrange4j-tmp}, this class's own) left in {@code directory}
     * by a writer that was killed before its rename; other files, e.g. a user's {@code *.tmp}, stay. Call it
     * only when no other writer works in that directory (a run holds its {@link RunLock}).
     *
     * @param directory the directory to clean; nothing happens if it does not exist
     * @return the number of files deleted
     * @throws IOException if the directory cannot be listed or a file cannot be deleted
     */
    public static int deleteStaleTemporaries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, ".*" + TEMP_SUFFIX)) {
            for (Path path : stream) {
                if (Files.isRegularFile(path) && Files.deleteIfExists(path)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static FileSystemException namingTarget(Path target, IOException cause) {
        String reason = cause instanceof FileSystemException fs ? fs.getReason() : cause.getMessage();
        FileSystemException named = new FileSystemException(target.toString(), null,
                reason == null ? cause.getClass().getSimpleName() : reason);
        named.initCause(cause);
        return named;
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the file system of " + target + " cannot rename atomically; refusing a non-atomic write", e);
        }
    }

    /** Makes the rename durable on POSIX file systems; silently skipped where directories cannot be opened. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            // Windows and some file systems do not allow opening or syncing a directory: best effort.
        }
    }

    /**
     * Writes a file's whole content to a stream; the stream is owned by {@link AtomicFiles}.
     */
    @FunctionalInterface
    public interface ContentWriter {

        /**
         * Writes the content.
         *
         * @param out the stream to the temporary file; closing it is a no-op
         * @throws IOException to abort the write and keep the old target
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Shields the temp file's stream from a writer that closes what it is given (e.g. a Writer wrapper). */
    private static final class NonClosingOutputStream extends OutputStream {
        private final OutputStream delegate;

        NonClosingOutputStream(OutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.flush();
        }
    }
}
