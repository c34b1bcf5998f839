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

    /** Two sections: "notes" (version 1, a text naming the epoch) and "counts" (version 3, four bytes). */
    private static List<CheckpointSection> state(int epoch) {
        return List.of(
                new CheckpointSection("notes", 1, ("training state after epoch " + epoch).getBytes(StandardCharsets.UTF_8)),
                new CheckpointSection("counts", 3, new byte[] {0, 0, 0, (byte) epoch}));
    }

    /** The text of the "notes" section. */
    private static String notes(Checkpoint checkpoint) throws IOException {
        return new String(checkpoint.section("notes").body(), StandardCharsets.UTF_8);
    }

    @Test
    void savesTheDocumentedLayoutOfFormatVersion2AndLoadsItBack() throws IOException {
        CheckpointStore store = store(3);
        byte[] notes = "training state after epoch 5".getBytes(StandardCharsets.UTF_8);

        Path file = store.save(5, state(5));

        assertThat(file.getFileName().toString()).isEqualTo("checkpoint-000005.ckpt");
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[8];
        in.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("L4JCKPT1");
        assertThat(in.getInt()).as("format version").isEqualTo(2);
        assertThat(in.getInt()).as("epoch").isEqualTo(5);
        long payloadLength = in.getLong();
        assertThat(bytes).hasSize(56 + (int) payloadLength);
        byte[] digest = new byte[32];
        in.get(digest);
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo(HexFormat.of().formatHex(Sha256.of(Arrays.copyOfRange(bytes, 56, bytes.length))));
        assertThat(in.getInt()).as("number of sections").isEqualTo(2);
        assertThat(in.getShort()).as("name length").isEqualTo((short) 5);
        byte[] name = new byte[5];
        in.get(name);
        assertThat(new String(name, StandardCharsets.US_ASCII)).isEqualTo("notes");
        assertThat(in.getInt()).as("section version").isEqualTo(1);
        assertThat(in.getLong()).as("body length").isEqualTo(notes.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(notes);
        assertThat(in.getInt()).as("CRC-32").isEqualTo((int) crc.getValue());
        byte[] body = new byte[notes.length];
        in.get(body);
        assertThat(body).isEqualTo(notes);
        assertThat(in.getShort()).isEqualTo((short) 6);
        in.position(in.position() + 6);
        assertThat(in.getInt()).isEqualTo(3);
        assertThat(in.getLong()).isEqualTo(4);
        in.getInt();
        assertThat(in.getInt()).isEqualTo(5);
        assertThat(in.remaining()).isZero();

        Checkpoint loaded = store.loadNewestValid().orElseThrow();
        assertThat(loaded.epoch()).isEqualTo(5);
        assertThat(loaded.formatVersion()).isEqualTo(2);
        assertThat(loaded.sections()).extracting(CheckpointSection::name).containsExactly("notes", "counts");
        assertThat(loaded.section("counts").version()).isEqualTo(3);
        assertThat(notes(loaded)).isEqualTo("training state after epoch 5");
        assertThat(loaded.file()).isEqualTo(file);
        assertThat(warnings).isEmpty();
        assertThatThrownBy(() -> loaded.section("dual"))
                .hasMessage("checkpoint-000005.ckpt (format version 2) has no section 'dual'; its sections: [notes, counts]");
    }

    @Test
    void anEmptyDirectoryHasNoCheckpoint() throws IOException {
        assertThat(store(3).loadNewestValid()).isEqualTo(Optional.empty());
    }

    @Test
    void aCheckpointWithoutSectionsOrWithAnEmptySectionIsValid() throws IOException {
        CheckpointStore store = store(3);
        store.save(0, List.of());
        assertThat(store.loadNewestValid().orElseThrow().sections()).isEmpty();
        store.save(1, List.of(new CheckpointSection("empty", 1, new byte[0])));
        assertThat(store.loadNewestValid().orElseThrow().section("empty").body()).isEmpty();
    }

    @Test
    void aSectionNameIsGivenOnlyOnce() throws IOException {
        CheckpointStore store = store(3);
        List<CheckpointSection> twice = List.of(new CheckpointSection("dual", 1, new byte[1]),
                new CheckpointSection("dual", 1, new byte[2]));
        assertThatThrownBy(() -> store.save(1, twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("section 'dual' is given twice");
        assertThat(store.epochs()).isEmpty();
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
        assertThat(notes(store.loadNewestValid().orElseThrow())).isEqualTo("training state after epoch 30");
    }

    /**
     * Corruptions of the newest file (epoch 3: an 83-byte payload, section "notes" with its body at file offsets
     * 83 to 110, then "counts" with its body in the last 4 bytes), each with the fault its warning must name.
     */
    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("flipped byte in the body of the first section", (Corruption) bytes -> flip(bytes, 90),
                        "SHA-256 mismatch"),
                Arguments.of("flipped byte in the body of the first section", (Corruption) bytes -> flip(bytes, 90),
                        "(corrupted: section 'notes' (version 1) fails its CRC-32 check (its body is damaged))"),
                Arguments.of("flipped byte in the body of the last section",
                        (Corruption) bytes -> flip(bytes, bytes.length - 1),
                        "(corrupted: section 'counts' (version 3) fails its CRC-32 check"),
                Arguments.of("flipped section version", (Corruption) bytes -> flip(bytes, 56 + 4 + 7 + 2),
                        "(corrupted, in the section table)"),
                Arguments.of("flipped checksum byte", (Corruption) bytes -> flip(bytes, 30), "SHA-256 mismatch"),
                Arguments.of("flipped magic byte", (Corruption) bytes -> flip(bytes, 0), "bad magic"),
                Arguments.of("flipped version byte", (Corruption) bytes -> flip(bytes, 11),
                        "format version 3 is not supported (this build reads 1 and 2)"),
                Arguments.of("flipped epoch byte", (Corruption) bytes -> flip(bytes, 15),
                        "header epoch 2 does not match the file name's epoch 3"),
                Arguments.of("payload cut in the last section",
                        (Corruption) bytes -> Arrays.copyOf(bytes, bytes.length - 3),
                        "truncated: the payload has 80 of 83 bytes: cut inside section 'counts' (version 3): its body"
                                + " has 1 of 4 bytes"),
                Arguments.of("payload cut in the first section", (Corruption) bytes -> Arrays.copyOf(bytes, 100),
                        "truncated: the payload has 44 of 83 bytes: cut inside section 'notes' (version 1): its body"
                                + " has 17 of 28 bytes"),
                Arguments.of("payload cut between sections", (Corruption) bytes -> Arrays.copyOf(bytes, 113),
                        "truncated: the payload has 57 of 83 bytes: cut inside the header of section 2 of 2 (after"
                                + " 'notes')"),
                Arguments.of("truncated header", (Corruption) bytes -> Arrays.copyOf(bytes, 20),
                        "truncated header: the file has 20 bytes, a header has 56"),
                Arguments.of("empty file", (Corruption) bytes -> new byte[0],
                        "truncated header: the file has 0 bytes"),
                Arguments.of("trailing garbage", (Corruption) bytes -> Arrays.copyOf(bytes, bytes.length + 3),
                        "3 unexpected bytes after the 83-byte payload"));
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
        assertThat(notes(loaded)).isEqualTo("training state after epoch 2");
        assertThat(warnings).singleElement().asString()
                .startsWith("skipping checkpoint " + newest + ": ")
                .contains(fault);
    }

    @Test
    void whenNoCheckpointVerifiesTheErrorNamesEveryFileAndFault() throws IOException {
        CheckpointStore store = store(3);
        Path older = store.save(1, state(1));
        Path newer = store.save(2, state(2));
        byte[] original = Files.readAllBytes(older);
        Files.write(older, flip(original, 90));
        Files.write(newer, Arrays.copyOf(Files.readAllBytes(newer), 40));

        assertThatThrownBy(store::loadNewestValid)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessage("none of the 2 checkpoints in " + dir + " is valid: "
                        + "checkpoint-000002.ckpt: truncated header: the file has 40 bytes, a header has 56; "
                        + "checkpoint-000001.ckpt: SHA-256 mismatch: the header says "
                        + HexFormat.of().formatHex(Sha256.of(Arrays.copyOfRange(original, 56, original.length)))
                        + " but the payload hashes to "
                        + HexFormat.of().formatHex(Sha256.of(Arrays.copyOfRange(flip(original, 90), 56,
                                original.length)))
                        + " (corrupted: section 'notes' (version 1) fails its CRC-32 check (its body is damaged))");
        assertThat(warnings).hasSize(2);
    }

    @Test
    void temporariesOfAKilledWriterAreIgnoredAndCleaned() throws IOException {
        CheckpointStore store = store(3);
        store.save(1, state(1));
        // A writer killed after writing part of epoch 2 leaves only its temporary file.
        Path stale = dir.resolve(".checkpoint-000002.ckpt.5eed" + AtomicFiles.TEMP_SUFFIX);
        Files.write(stale, new byte[] {'L', '4', 'J'});

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
        assertThatThrownBy(() -> store.save(-1, List.of()))
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
