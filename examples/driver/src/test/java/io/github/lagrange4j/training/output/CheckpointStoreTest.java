package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.models.data.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private CheckpointStore store(int keep) throws IOException {
        return CheckpointStore.builder().setDirectory(dir).optKeep(keep).optWarnings(warnings::add).build();
    }

    private static byte[] state(int epoch) {
        return ("training state after epoch " + epoch).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void savesTheDocumentedLayoutAndLoadsItBack() throws IOException {
        CheckpointStore store = store(3);
        byte[] payload = state(5);

        Path file = store.save(5, payload);

        assertThat(file.getFileName().toString()).isEqualTo("checkpoint-000005.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(56 + payload.length);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[8];
        header.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("L4JCKPT1");
        assertThat(header.getInt()).isEqualTo(1);
        assertThat(header.getInt()).isEqualTo(5);
        assertThat(header.getLong()).isEqualTo(payload.length);
        byte[] digest = new byte[32];
        header.get(digest);
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo(HexFormat.of().formatHex(Sha256.of(payload)));
        assertThat(Arrays.copyOfRange(bytes, 56, bytes.length)).isEqualTo(payload);

        Checkpoint loaded = store.loadNewestValid().orElseThrow();
        assertThat(loaded.epoch()).isEqualTo(5);
        assertThat(loaded.payload()).isEqualTo(payload);
        assertThat(loaded.file()).isEqualTo(file);
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEmptyDirectoryHasNoCheckpoint() throws IOException {
        assertThat(store(3).loadNewestValid()).isEqualTo(Optional.empty());
    }

    @Test
    void anEmptyPayloadIsAValidCheckpoint() throws IOException {
        CheckpointStore store = store(3);
        store.save(0, new byte[0]);
        assertThat(store.loadNewestValid().orElseThrow().payload()).isEmpty();
    }

    @Test
    void keepsOnlyTheNewestK() throws IOException {
        CheckpointStore store = store(2);
        for (int epoch = 1; epoch <= 5; epoch++) {
            store.save(epoch, state(epoch));
        }

        assertThat(store.epochs()).containsExactly(4, 5);
        assertThat(store.loadNewestValid().orElseThrow().epoch()).isEqualTo(5);
    }

    @Test
    void theDefaultKeepIsThree() throws IOException {
        CheckpointStore store = CheckpointStore.builder().setDirectory(dir).build();
        for (int epoch = 1; epoch <= 6; epoch++) {
            store.save(epoch, state(epoch));
        }
        assertThat(store.keep()).isEqualTo(3);
        assertThat(store.epochs()).containsExactly(4, 5, 6);
    }

    @Test
    void savingAnEarlierEpochDropsTheNewerAbandonedCheckpoints() throws IOException {
        CheckpointStore store = store(5);
        for (int epoch = 1; epoch <= 4; epoch++) {
            store.save(epoch, state(epoch));
        }

        store.save(3, state(30));

        assertThat(store.epochs()).containsExactly(1, 2, 3);
        assertThat(store.loadNewestValid().orElseThrow().payload()).isEqualTo(state(30));
    }

    /** Corruptions of the newest file, each with the fault its warning must name. */
    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("flipped payload byte", (Corruption) bytes -> flip(bytes, 60), "SHA-256 mismatch"),
                Arguments.of("flipped checksum byte", (Corruption) bytes -> flip(bytes, 30), "SHA-256 mismatch"),
                Arguments.of("flipped magic byte", (Corruption) bytes -> flip(bytes, 0), "bad magic"),
                Arguments.of("flipped version byte", (Corruption) bytes -> flip(bytes, 11),
                        "format version 0 is not supported"),
                Arguments.of("flipped epoch byte", (Corruption) bytes -> flip(bytes, 15),
                        "header epoch 2 does not match the file name's epoch 3"),
                Arguments.of("truncated payload", (Corruption) bytes -> Arrays.copyOf(bytes, bytes.length - 4),
                        "truncated: the payload has 24 of 28 bytes"),
                Arguments.of("truncated header", (Corruption) bytes -> Arrays.copyOf(bytes, 20),
                        "truncated header: the file has 20 bytes, a header has 56"),
                Arguments.of("empty file", (Corruption) bytes -> new byte[0],
                        "truncated header: the file has 0 bytes"),
                Arguments.of("trailing garbage", (Corruption) bytes -> Arrays.copyOf(bytes, bytes.length + 3),
                        "3 unexpected bytes after the 28-byte payload"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptNewestCheckpointIsSkippedWithAWarningForThePreviousOne(
            String name, Corruption corruption, String fault) throws IOException {
        CheckpointStore store = store(3);
        store.save(2, state(2));
        Path newest = store.save(3, state(3));
        Files.write(newest, corruption.apply(Files.readAllBytes(newest)));

        Checkpoint loaded = store.loadNewestValid().orElseThrow();

        assertThat(loaded.epoch()).isEqualTo(2);
        assertThat(loaded.payload()).isEqualTo(state(2));
        assertThat(warnings).singleElement().asString()
                .startsWith("skipping checkpoint " + newest + ": ")
                .contains(fault);
    }

    @Test
    void whenNoCheckpointVerifiesTheErrorNamesEveryFileAndFault() throws IOException {
        CheckpointStore store = store(3);
        Path older = store.save(1, state(1));
        Path newer = store.save(2, state(2));
        Files.write(older, flip(Files.readAllBytes(older), 70));
        Files.write(newer, Arrays.copyOf(Files.readAllBytes(newer), 40));

        assertThatThrownBy(store::loadNewestValid)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessage("none of the 2 checkpoints in " + dir + " is valid: "
                        + "checkpoint-000002.ckpt: truncated header: the file has 40 bytes, a header has 56; "
                        + "checkpoint-000001.ckpt: SHA-256 mismatch: the header says "
                        + HexFormat.of().formatHex(Sha256.of(state(1)))
                        + " but the payload hashes to "
                        + HexFormat.of().formatHex(Sha256.of(flip(state(1), 70 - 56)))
                        + " (corrupted)");
        assertThat(warnings).hasSize(2);
    }

    @Test
    void temporariesOfAKilledWriterAreIgnoredAndCleaned() throws IOException {
        CheckpointStore store = store(3);
        store.save(1, state(1));
        // A writer killed after writing part of epoch 2 leaves only its temporary file.
        Path stale = dir.resolve(".checkpoint-000002.ckpt.5eed" + AtomicFiles.TEMP_SUFFIX);
        Files.write(stale, Arrays.copyOf(state(2), 5));

        assertThat(store.epochs()).containsExactly(1);
        assertThat(store.loadNewestValid().orElseThrow().epoch()).isEqualTo(1);

        CheckpointStore.builder().setDirectory(dir).build();
        assertThat(stale).doesNotExist();
    }

    @Test
    void filesThatAreNotCheckpointsAreIgnored() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.writeString(dir.resolve("checkpoint-abc.ckpt"), "nope");
        CheckpointStore store = store(3);

        assertThat(store.epochs()).isEmpty();
        assertThat(store.loadNewestValid()).isEmpty();
    }

    @Test
    void badArgumentsAreRejectedNamingTheArgument() throws IOException {
        CheckpointStore store = store(3);
        assertThatThrownBy(() -> store.save(-1, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epoch must be in [0, 999999999], got -1");
        assertThatThrownBy(() -> CheckpointStore.builder().optKeep(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keep must be >= 1, got 0");
        assertThatThrownBy(() -> CheckpointStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("setDirectory(Path) is required");
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    @FunctionalInterface
    interface Corruption {
        byte[] apply(byte[] bytes);
    }
}
