package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The extractor reads the archives GNU tar writes, in every header format, and digests what it writes. */
class TarGzExtractorTest {

    /** SHA-256("abc"), from FIPS 180-2 appendix B.1. */
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ustar", "pax", "gnu"})
    void extractsOnlyTheWantedEntriesWithTheirDigests(String format) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        String longDir = "package/" + "d".repeat(60) + "/" + "e".repeat(60);
        Files.createDirectories(root.resolve(longDir));
        Files.writeString(root.resolve("package/skip.txt"), "x".repeat(1000));
        Files.writeString(root.resolve(longDir + "/abc"), "abc");
        Files.write(root.resolve("package/big"), new byte[70_000]);
        Path archive = TarGz.create(root, dir.resolve("a.tgz"), format, "package");
        Path out = Files.createDirectory(dir.resolve("out"));

        Map<String, String> digests = TarGzExtractor.extract(archive, Map.of(
                longDir + "/abc", out.resolve("abc"),
                "package/big", out.resolve("big"),
                "package/absent", out.resolve("absent")));

        assertThat(digests).containsOnlyKeys(longDir + "/abc", "package/big");
        assertThat(digests.get(longDir + "/abc")).isEqualTo(SHA256_ABC);
        assertThat(Files.readString(out.resolve("abc"), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(Files.size(out.resolve("big"))).isEqualTo(70_000);
        assertThat(digests.get("package/big")).isEqualTo(Sha256.of(out.resolve("big")));
        try (var files = Files.list(out)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void aCutArchiveIsABadArchive() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root/package"));
        byte[] noise = new byte[200_000];
        new java.util.Random(1).nextBytes(noise);
        Files.write(root.resolve("big"), noise);
        Path archive = TarGz.create(dir.resolve("root"), dir.resolve("a.tgz"), "ustar", "package");
        byte[] bytes = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> TarGzExtractor.extract(archive, Map.of("package/big", dir.resolve("big"))))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.BAD_ARCHIVE))
                .hasMessageStartingWith(archive + ": ");
    }
}
