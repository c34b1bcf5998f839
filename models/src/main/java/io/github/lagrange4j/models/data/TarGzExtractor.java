package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts chosen regular files from a gzip-compressed tar archive, computing each file's SHA-256 while writing
 * it. The tar format (ustar, pax and GNU long names) is read by Apache Commons Compress, which DJL's API
 * already brings; this class only picks the wanted entries and maps a broken archive to
 * {@link Fault#BAD_ARCHIVE}.
 */
final class TarGzExtractor {

    private TarGzExtractor() {}

    /**
     * Extracts the wanted entries.
     *
     * @param archive the .tgz file
     * @param wanted entry name (e.g. {@code package/data/train-images-idx3-ubyte}) to target file
     * @return entry name to SHA-256 (hex) of each wanted entry found; absent names were not in the archive
     * @throws DataFileException ({@code BAD_ARCHIVE}) if the archive is not a valid tar.gz
     * @throws IOException if reading or writing fails
     */
    static Map<String, String> extract(Path archive, Map<String, Path> wanted) throws IOException {
        Map<String, String> digests = new HashMap<>();
        InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gunzip(archive, file))) {
            for (TarArchiveEntry entry = next(archive, tar); entry != null; entry = next(archive, tar)) {
                Path target = wanted.get(entry.getName());
                if (entry.isFile() && target != null) {
                    digests.put(entry.getName(), copy(archive, tar, entry, target));
                }
            }
            return digests;
        }
    }

    private static InputStream gunzip(Path archive, InputStream file) throws IOException {
        try {
            return new GZIPInputStream(file, 1 << 16);
        } catch (IOException e) {
            file.close();
            throw badArchive(archive, e);
        }
    }

    private static TarArchiveEntry next(Path archive, TarArchiveInputStream tar) throws DataFileException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw badArchive(archive, e);
        }
    }

    /** Copies an entry; a failure to read is the archive's fault, a failure to write is passed on as it is. */
    private static String copy(Path archive, TarArchiveInputStream tar, TarArchiveEntry entry, Path target)
            throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            while (true) {
                int n;
                try {
                    n = tar.read(buffer);
                } catch (IOException e) {
                    throw badArchive(archive, e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                copied += n;
            }
        }
        if (copied != entry.getSize()) {
            throw new DataFileException(archive, Fault.BAD_ARCHIVE, "archive ends inside entry " + entry.getName()
                    + " (" + (entry.getSize() - copied) + " of " + entry.getSize() + " bytes missing)");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static DataFileException badArchive(Path archive, Exception e) {
        return new DataFileException(archive, Fault.BAD_ARCHIVE, "not a complete tar.gz archive (" + e.getMessage()
                + ")", e);
    }
}
