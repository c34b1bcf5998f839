package io.github.lagrange4j.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The project's one SHA-256 helper: digests of files (lower-case hexadecimal) and of bytes in memory. */
public final class Sha256 {

    private Sha256() {}

    /**
     * Returns the SHA-256 digest of a file's bytes.
     *
     * @param file the file
     * @return 64 lower-case hexadecimal digits
     * @throws IOException if the file cannot be read
     */
    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Returns the SHA-256 digest of bytes in memory.
     *
     * @param bytes the bytes
     * @return the 32-byte digest
     */
    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
