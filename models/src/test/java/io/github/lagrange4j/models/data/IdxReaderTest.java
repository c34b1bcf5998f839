package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IDX reader returns exactly the bytes the header declares, raw or gzipped, and names every fault. */
class IdxReaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesRowMajorRawOrGzipped(boolean gzip) throws IOException {
        byte[] raw = IdxFiles.images(2, 2, 3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);
        Path file = IdxFiles.write(dir.resolve("images"), gzip ? IdxFiles.gzip(raw) : raw);

        IdxImages images = IdxReader.readImages(file);

        assertThat(images.count()).isEqualTo(2);
        assertThat(images.rows()).isEqualTo(2);
        assertThat(images.columns()).isEqualTo(3);
        assertThat(images.pixelsPerImage()).isEqualTo(6);
        assertThat(images.pixel(0, 1, 0)).isEqualTo(3);
        assertThat(images.pixel(1, 0, 2)).isEqualTo(252);
        assertThat(images.pixel(1, 1, 2)).isEqualTo(255);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsLabelsRawOrGzipped(boolean gzip) throws IOException {
        byte[] raw = IdxFiles.labels(7, 0, 9, 200);
        Path file = IdxFiles.write(dir.resolve("labels.gz"), gzip ? IdxFiles.gzip(raw) : raw);

        IdxLabels labels = IdxReader.readLabels(file);

        assertThat(labels.count()).isEqualTo(4);
        assertThat(new int[] {labels.label(0), labels.label(1), labels.label(2), labels.label(3)})
                .containsExactly(7, 0, 9, 200);
    }

    @Test
    void labelsFileReadAsImagesIsAWrongMagicNamingBothNumbers() throws IOException {
        Path file = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(1, 2));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOfSatisfying(DataFileException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.WRONG_MAGIC);
                    assertThat(e.file()).isEqualTo(file);
                })
                .hasMessage(file + ": wrong IDX magic number 0x00000801, expected 0x00000803"
                        + " (unsigned-byte images, 3 dimensions)");
    }

    @Test
    void imagesFileReadAsLabelsIsAWrongMagic() throws IOException {
        Path file = IdxFiles.write(dir.resolve("images"), IdxFiles.images(1, 1, 1, 9));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .hasMessage(file + ": wrong IDX magic number 0x00000803, expected 0x00000801"
                        + " (unsigned-byte labels, 1 dimension)");
    }

    @Test
    void missingPixelsAreATruncationWithTheByteCounts() throws IOException {
        byte[] whole = IdxFiles.images(2, 2, 2, 1, 2, 3, 4, 5, 6, 7, 8);
        Path file = IdxFiles.write(dir.resolve("images"), Arrays.copyOf(whole, whole.length - 3));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.TRUNCATED))
                .hasMessage(file + ": file is truncated: header declares 2 images of 2 x 2 pixels"
                        + " (24 bytes with the header) but the file has 21 bytes");
    }

    @Test
    void aCutHeaderIsATruncation() throws IOException {
        Path file = IdxFiles.write(dir.resolve("images"), Arrays.copyOf(IdxFiles.images(1, 1, 1, 0), 10));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessage(file + ": file has 10 bytes, fewer than the 16-byte IDX header"
                        + " (unsigned-byte images, 3 dimensions)");
    }

    @Test
    void anEmptyFileIsATruncationBeforeTheMagic() throws IOException {
        Path file = IdxFiles.write(dir.resolve("labels"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.TRUNCATED))
                .hasMessage(file + ": file has 0 bytes, fewer than the 4-byte IDX magic number 0x00000801"
                        + " (unsigned-byte labels, 1 dimension)");
    }

    @Test
    void aCutGzipStreamIsATruncation() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.labels(new int[1000]));
        Path file = IdxFiles.write(dir.resolve("labels.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.TRUNCATED))
                .hasMessageStartingWith(file + ": gzip stream ends early");
    }

    @Test
    void bytesAfterTheLastLabelAreRejected() throws IOException {
        byte[] whole = IdxFiles.labels(1, 2, 3);
        Path file = IdxFiles.write(dir.resolve("labels"), Arrays.copyOf(whole, whole.length + 2));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.TRAILING_BYTES))
                .hasMessage(file + ": file has 2 bytes after the 3 labels its header declares"
                        + " (11 bytes expected, 13 found)");
    }

    @Test
    void zeroImagesAreBadDimensions() throws IOException {
        Path file = IdxFiles.write(dir.resolve("images"), IdxFiles.images(0, 28, 28));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.BAD_DIMENSIONS))
                .hasMessage(file + ": header declares 0 images of 28 x 28 pixels; each must be >= 1");
    }

    @Test
    void anAbsentFileIsMissing() {
        Path file = dir.resolve("nowhere");

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOfSatisfying(DataFileException.class,
                        e -> assertThat(e.fault()).isEqualTo(Fault.MISSING_FILE))
                .hasMessage(file + ": file not found");
    }
}
