package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Extracts chosen regular files from a gzip-compressed tar archive (POSIX ustar, with pax {@code path}
 * and GNU long-name records), computing each file's SHA-256 while writing it.
 *
 * <p>A tar archive is a sequence of 512-byte headers (name at offset 0, octal size at 124, type at 156,
 * ustar name prefix at 345), each followed by the entry's bytes padded to a multiple of 512; two zero
 * blocks end it.
 */
final class TarGzExtractor {

    private static final int BLOCK = 512;

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
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            String longName = null;
            while (true) {
                byte[] header = readFully(archive, in, BLOCK, "a header");
                if (header == null || isZero(header)) {
                    return digests;
                }
                String name = longName != null ? longName : headerName(header);
                longName = null;
                long size = octal(archive, header, 124, 12);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == 'x' || type == 'L') {
                    byte[] body = readFully(archive, in, (int) padded, "a long-name record");
                    longName = type == 'L' ? cString(body, 0, (int) size) : paxPath(body, (int) size);
                } else if ((type == '0' || type == 0) && wanted.containsKey(name)) {
                    digests.put(name, copy(archive, in, size, wanted.get(name), name));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFileException(archive, Fault.BAD_ARCHIVE,
                    "not a complete tar.gz archive (" + e.getMessage() + ")", e);
        }
    }

    private static String copy(Path archive, InputStream in, long size, Path target, String name)
            throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        long remaining = size;
        try (OutputStream out = Files.newOutputStream(target)) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new DataFileException(archive, Fault.BAD_ARCHIVE,
                            "archive ends inside entry " + name + " (" + remaining + " of " + size + " bytes missing)");
                }
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                remaining -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] readFully(Path archive, InputStream in, int length, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length == 0 && what.equals("a header")) {
            return null;
        }
        if (bytes.length < length) {
            throw new DataFileException(archive, Fault.BAD_ARCHIVE, "archive ends inside " + what);
        }
        return bytes;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] bytes, int offset, int max) {
        int end = offset;
        while (end < offset + max && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] header, int offset, int length) throws DataFileException {
        String text = cString(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new DataFileException(archive, Fault.BAD_ARCHIVE,
                    "tar header holds an unreadable size field '" + text + "'", e);
        }
    }

    /** Returns the {@code path} of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] body, int size) {
        String text = new String(body, 0, size, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space >= 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return null;
    }
}
