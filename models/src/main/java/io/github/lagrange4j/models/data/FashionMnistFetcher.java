package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts the four Fashion-MNIST files into a data directory, verified by SHA-256, without root: the files
 * come from the Debian package {@code dataset-fashion-mnist}, downloaded and unpacked by
 * {@link DebianPackageSource} ({@code apt-get download} + {@code dpkg-deb -x}) rather than installed.
 *
 * <p>Order of work in {@link #fetch(Path)}, as for {@link MnistFetcher}: (1) verify the files already
 * present (a wrong digest is reported, never overwritten); (2) if any is missing, obtain the package's
 * file tree inside a temporary directory in the data directory; (3) verify each missing file's digest
 * against {@link FashionMnistFile#sha256()}; (4) only when all match, move them into place with an
 * atomic rename; (5) delete the temporary directory whatever happened. A failed fetch leaves no file.
 *
 * <p>{@link #locate(Path)} finds the files for reading: an explicit directory, else the project's own
 * ({@code ~/.lagrange4j/data/fashion-mnist}), else the system-wide package's
 * {@code /usr/share/datasets/fashion-mnist}.
 */
public final class FashionMnistFetcher {

    /** Where the package's data files lie inside its file tree. */
    static final String PACKAGE_DATA_DIR = "usr/share/datasets/fashion-mnist";

    private final TreeSource source;

    private FashionMnistFetcher(TreeSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns the fetcher that downloads and unpacks {@code dataset-fashion-mnist} with apt-get and dpkg-deb.
     *
     * @return the fetcher
     */
    public static FashionMnistFetcher usingApt() {
        return new FashionMnistFetcher(DebianPackageSource.fashionMnist()::obtainTree);
    }

    /**
     * Returns a fetcher with another source of the package's file tree (tests, mirrors).
     *
     * @param source the source
     * @return the fetcher
     */
    public static FashionMnistFetcher using(TreeSource source) {
        return new FashionMnistFetcher(source);
    }

    /**
     * Returns the directory to read Fashion-MNIST from: {@code explicit} if given, else the project's
     * default directory if it holds the four files, else {@link IdxFileSet#DEBIAN_FASHION_MNIST_DIR} if that
     * does, else the project's default directory (where a fetch puts them).
     *
     * @param explicit a directory given on the command line, or {@code null}
     * @return the directory (not necessarily holding the files)
     */
    public static Path locate(Path explicit) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        Path own = DataDirectory.fashionMnist(null);
        if (!isComplete(own) && isComplete(IdxFileSet.DEBIAN_FASHION_MNIST_DIR)) {
            return IdxFileSet.DEBIAN_FASHION_MNIST_DIR;
        }
        return own;
    }

    /**
     * Tells whether all four files are present in a directory (digests not checked).
     *
     * @param directory the directory
     * @return true if every file exists
     */
    public static boolean isComplete(Path directory) {
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (!Files.isRegularFile(directory.resolve(file.fileName()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes a directory hold the four verified Fashion-MNIST files, fetching the missing ones.
     *
     * @param directory the data directory (created if absent)
     * @return which files were fetched and which were already present
     * @throws DataFileException {@code CHECKSUM_MISMATCH} for a file with a wrong digest (present or
     *     fetched), {@code APT_UNAVAILABLE} / {@code APT_FAILED} if the package cannot be obtained,
     *     {@code BAD_ARCHIVE} if it lacks a file
     * @throws IOException if the directory cannot be written
     */
    public Result fetch(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<FashionMnistFile> present = new ArrayList<>();
        List<FashionMnistFile> missing = new ArrayList<>();
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path target = directory.resolve(file.fileName());
            if (Files.isRegularFile(target)) {
                FetchFiles.requireDigest(target, Sha256.of(target), file.sha256(),
                        "Fashion-MNIST " + file.fileName(), "delete it to fetch it again");
                present.add(file);
            } else {
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            return new Result(directory, List.of(), present);
        }
        Path work = Files.createTempDirectory(directory, ".fetch-");
        try {
            Path data = source.obtainTree(work).resolve(PACKAGE_DATA_DIR);
            for (FashionMnistFile file : missing) {
                Path fetched = data.resolve(file.fileName());
                if (!Files.isRegularFile(fetched)) {
                    throw new DataFileException(directory.resolve(file.fileName()), Fault.BAD_ARCHIVE,
                            "the package lacks " + PACKAGE_DATA_DIR + "/" + file.fileName() + "; nothing was written");
                }
            }
            for (FashionMnistFile file : missing) {
                Path fetched = data.resolve(file.fileName());
                FetchFiles.requireDigest(fetched, Sha256.of(fetched), file.sha256(), "Fashion-MNIST " + file.fileName(),
                        "the fetched copy was discarded and nothing was written");
            }
            for (FashionMnistFile file : missing) {
                FetchFiles.moveIntoPlace(data.resolve(file.fileName()), directory.resolve(file.fileName()));
            }
            return new Result(directory, missing, present);
        } finally {
            FetchFiles.deleteRecursively(work);
        }
    }

    /**
     * Verifies the SHA-256 of the four files in a directory.
     *
     * @param directory the data directory
     * @throws DataFileException {@code MISSING_FILE} or {@code CHECKSUM_MISMATCH} for the first bad file
     * @throws IOException if a file cannot be read
     */
    public static void verify(Path directory) throws IOException {
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path target = directory.resolve(file.fileName());
            if (!Files.isRegularFile(target)) {
                throw new DataFileException(target, Fault.MISSING_FILE,
                        "file not found; run './lagrange4j fetch-data --dataset fashion-mnist' to fetch Fashion-MNIST");
            }
            FetchFiles.requireDigest(target, Sha256.of(target), file.sha256(),
                        "Fashion-MNIST " + file.fileName(), "delete it to fetch it again");
        }
    }

    /** Obtains the unpacked file tree of the {@code dataset-fashion-mnist} package in a work directory. */
    @FunctionalInterface
    public interface TreeSource {

        /**
         * Places the package's files under a new directory inside {@code workDirectory}.
         *
         * @param workDirectory an empty directory owned by the caller, deleted by it afterwards
         * @return the root of the tree (holding {@code usr/share/datasets/fashion-mnist})
         * @throws IOException if the package cannot be obtained
         */
        Path obtainTree(Path workDirectory) throws IOException;
    }

    /**
     * What a fetch did.
     *
     * @param directory the data directory, now holding the four files
     * @param fetched the files obtained by this call
     * @param alreadyPresent the files that were already present and verified
     */
    public record Result(Path directory, List<FashionMnistFile> fetched, List<FashionMnistFile> alreadyPresent) {

        /** Copies the lists. */
        public Result {
            Objects.requireNonNull(directory, "directory");
            fetched = List.copyOf(fetched);
            alreadyPresent = List.copyOf(alreadyPresent);
        }
    }
}
