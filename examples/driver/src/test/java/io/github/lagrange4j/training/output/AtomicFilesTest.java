package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTextAndReplacesAnExistingFileLeavingNoTemporary() throws IOException {
        Path target = dir.resolve("metrics.csv");
        AtomicFiles.writeText(target, "old\n");
        AtomicFiles.writeText(target, "new content\n");

        assertThat(Files.readString(target)).isEqualTo("new content\n");
        assertThat(listing()).containsExactly("metrics.csv");
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path target = dir.resolve("a/b/c.bin");
        AtomicFiles.writeBytes(target, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
    }

    @Test
    void aWriterFailingHalfwayLeavesTheOldTargetIntactAndNoTemporary() throws IOException {
        Path target = dir.resolve("checkpoint.bin");
        AtomicFiles.writeText(target, "the good old content");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new con".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk on fire");
        })).isInstanceOf(IOException.class).hasMessage(target.toAbsolutePath() + ": disk on fire");

        assertThat(Files.readString(target)).isEqualTo("the good old content");
        assertThat(listing()).containsExactly("checkpoint.bin");
    }

    @Test
    void aRuntimeExceptionInTheWriterAlsoRollsBack() throws IOException {
        Path target = dir.resolve("config.json");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write('{');
            throw new IllegalStateException("serialiser bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(target).doesNotExist();
        assertThat(listing()).isEmpty();
    }

    @Test
    void aWriterClosingItsStreamDoesNotBreakTheWrite() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
            out.close();
        });

        assertThat(Files.readString(target)).isEqualTo("abc");
    }

    @Test
    void writesAPngThatDecodesToTheSamePixels() throws IOException {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 2, Color.RED.getRGB());
        Path target = dir.resolve("plot.png");

        AtomicFiles.writePng(target, image);

        BufferedImage read = ImageIO.read(target.toFile());
        assertThat(read.getWidth()).isEqualTo(7);
        assertThat(read.getHeight()).isEqualTo(5);
        assertThat(read.getRGB(3, 2)).isEqualTo(Color.RED.getRGB());
        assertThat(read.getRGB(0, 0)).isEqualTo(Color.BLACK.getRGB());
    }

    @Test
    void deletesOnlyItsOwnStaleTemporariesAndLeavesAForeignTmpFile() throws IOException {
        Files.writeString(dir.resolve(".metrics.csv.1f2e" + AtomicFiles.TEMP_SUFFIX), "partial");
        Files.writeString(dir.resolve("keep.txt"), "x");
        Files.writeString(dir.resolve("notes.tmp"), "a user's file");
        Files.writeString(dir.resolve(".editor-swap.tmp"), "another program's file");

        assertThat(AtomicFiles.deleteStaleTemporaries(dir)).isEqualTo(1);
        assertThat(listing()).containsExactlyInAnyOrder("keep.txt", "notes.tmp", ".editor-swap.tmp");
        assertThat(AtomicFiles.deleteStaleTemporaries(dir.resolve("missing"))).isZero();
    }

    @Test
    void aDiskFullWriteNamesTheTargetKeepsItsOldContentAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("metrics.csv");
        AtomicFiles.writeText(target, "old");

        // the write failure the JDK reports on a full disk: an IOException that names no file
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100]);
            throw new IOException("No space left on device");
        })).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessage(target.toAbsolutePath() + ": No space left on device");

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing()).containsExactly("metrics.csv");
    }
}
