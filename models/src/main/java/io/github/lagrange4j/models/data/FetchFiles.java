package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The file steps the data fetchers share: check a file's SHA-256, move a verified file into place (atomically
 * where the file system allows), and remove a fetch's temporary work directory.
 */
final class FetchFiles {

    private FetchFiles() {}

    /**
     * Fails unless a file's digest is the expected one.
     *
     * @param file the file
     * @param actual its SHA-256 (hex)
     * @param expected the expected SHA-256 (hex)
     * @param what what the file should be, e.g. "genuine MNIST train-images-idx3-ubyte"
     * @param remedy what the user can do, appended to the message
     * @throws DataFileException with fault {@code CHECKSUM_MISMATCH}, naming the file, both digests and the remedy
     */
    static void requireDigest(Path file, String actual, String expected, String what, String remedy)
            throws DataFileException {
        if (!expected.equals(actual)) {
            throw new DataFileException(file, Fault.CHECKSUM_MISMATCH, "checksum mismatch: SHA-256 is " + actual
                    + ", expected " + expected + " (" + what + "); " + remedy);
        }
    }

    /**
     * Moves a verified file to its place, atomically where the file system allows.
     *
     * @param source the verified file
     * @param target its place
     * @throws IOException if it cannot be moved
     */
    static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target);
        }
    }

    /**
     * Deletes a directory tree, if it exists.
     *
     * @param root the tree's root
     * @throws IOException if something cannot be deleted
     */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
