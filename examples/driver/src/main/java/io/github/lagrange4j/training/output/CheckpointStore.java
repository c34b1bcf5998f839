package io.github.lagrange4j.training.output;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of verified, atomically written checkpoints {@code checkpoint-000005.ckpt}, keeping the
 * newest {@code K}.
 *
 * <p>Each file is a header (magic {@code "L4JCKPT1"}, format version, epoch, payload length, SHA-256 of
 * the payload) followed by the payload: in format version 2, which this store writes, the caller's named and
 * versioned {@link CheckpointSection}s, each length-prefixed and with a CRC-32; format version 1 (one opaque
 * payload, written before version 2 existed) is still read. The byte layout:
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "L4JCKPT1" (ASCII)
 *      8     4  format version (2; 1 is still read)
 *     12     4  epoch
 *     16     8  payload length n
 *     24    32  SHA-256 of the payload
 *     56     n  payload; version 2:
 *                 4      number of sections k, then k times:
 *                 2 + m  name (2-byte length, ASCII)
 *                 4      section version
 *                 8      body length b
 *                 4      CRC-32 of the body
 *                 b      body
 * </pre>
 *
 * (integers big-endian). Files are written through {@link AtomicFiles}, so a writer killed mid-save leaves
 * only a {@code *.tmp} file, which the store ignores and deletes when it is built and before every save.
 *
 * <p>Order of calls: {@link #builder()}{@code .setDirectory(dir).optKeep(3).build()}; on resume
 * {@link #loadNewestValid()} (corrupt or truncated files are skipped with a warning naming the file and
 * the fault, in favour of the previous good one); then {@link #save(int, List)} after each checkpointed
 * epoch. Saving epoch {@code e} deletes any checkpoint newer than {@code e} (it belongs to the abandoned
 * continuation of a resumed run), then all but the newest {@code K}. One process owns the directory.
 */
public final class CheckpointStore {

    private static final Logger LOGGER = Logger.getLogger(CheckpointStore.class.getName());
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{6,9})\\.ckpt");

    private final Path directory;
    private final int keep;
    private final Consumer<String> warnings;

    private CheckpointStore(Builder builder) throws IOException {
        this.directory = builder.directory;
        this.keep = builder.keep;
        this.warnings = builder.warnings;
        Files.createDirectories(directory);
        AtomicFiles.deleteStaleTemporaries(directory);
    }

    /**
     * Starts a builder.
     *
     * @return a builder with {@code keep = 3} and warnings sent to {@code java.util.logging}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the file name of the checkpoint of {@code epoch}.
     *
     * @param epoch the epoch, {@code 0 ≤ epoch ≤ 999999999}
     * @return e.g. {@code checkpoint-000005.ckpt}
     */
    public static String fileName(int epoch) {
        requireEpoch(epoch);
        return String.format(Locale.ROOT, "checkpoint-%06d.ckpt", epoch);
    }

    /**
     * Writes the checkpoint of {@code epoch} atomically, then deletes newer checkpoints and all but the
     * newest {@code keep}.
     *
     * @param epoch the epoch just completed, {@code 0 ≤ epoch ≤ 999999999}
     * @param sections the training state's sections, in the order to write them, names distinct (not
     *     modified or retained)
     * @return the file written
     * @throws IOException if the file cannot be written; older checkpoints are then untouched
     */
    public Path save(int epoch, List<CheckpointSection> sections) throws IOException {
        requireEpoch(epoch);
        Objects.requireNonNull(sections, "sections");
        byte[] payload = CheckpointFormat.payload(sections);
        AtomicFiles.deleteStaleTemporaries(directory);
        byte[] header = CheckpointFormat.header(epoch, payload);
        Path file = directory.resolve(fileName(epoch));
        AtomicFiles.write(file, out -> {
            out.write(header);
            out.write(payload);
        });
        TreeMap<Integer, Path> files = list();
        for (Path newer : files.tailMap(epoch, false).values()) {
            Files.deleteIfExists(newer);
        }
        List<Path> older = new ArrayList<>(files.headMap(epoch, true).descendingMap().values());
        for (int i = keep; i < older.size(); i++) {
            Files.deleteIfExists(older.get(i));
        }
        return file;
    }

    /**
     * Loads the newest checkpoint that verifies, warning about each newer one that does not.
     *
     * @return the newest valid checkpoint, or empty if the directory holds no checkpoint file
     * @throws CorruptCheckpointException if checkpoint files exist but none verifies; the message lists
     *     every file with its fault
     * @throws IOException if the directory cannot be listed
     */
    public Optional<Checkpoint> loadNewestValid() throws IOException {
        TreeMap<Integer, Path> files = list();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        List<String> faults = new ArrayList<>();
        for (var entry : files.descendingMap().entrySet()) {
            Path file = entry.getValue();
            try {
                return Optional.of(CheckpointFormat.read(file, entry.getKey()));
            } catch (IOException e) {
                String fault = file.getFileName() + ": " + e.getMessage();
                faults.add(fault);
                warnings.accept("skipping checkpoint " + file + ": " + e.getMessage());
            }
        }
        throw new CorruptCheckpointException("none of the " + files.size() + " checkpoints in " + directory
                + " is valid: " + String.join("; ", faults));
    }

    /**
     * Lists the epochs that have a checkpoint file, whether or not it verifies.
     *
     * @return the epochs in ascending order
     * @throws IOException if the directory cannot be listed
     */
    public List<Integer> epochs() throws IOException {
        return new ArrayList<>(list().keySet());
    }

    /** @return the checkpoint directory */
    public Path directory() {
        return directory;
    }

    /** @return how many checkpoints are kept */
    public int keep() {
        return keep;
    }

    private TreeMap<Integer, Path> list() throws IOException {
        TreeMap<Integer, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "checkpoint-*.ckpt")) {
            for (Path path : stream) {
                Matcher m = NAME.matcher(path.getFileName().toString());
                if (m.matches() && Files.isRegularFile(path)) {
                    files.put(Integer.parseInt(m.group(1)), path);
                }
            }
        }
        return files;
    }

    private static void requireEpoch(int epoch) {
        if (epoch < 0 || epoch > 999_999_999) {
            throw new IllegalArgumentException("epoch must be in [0, 999999999], got " + epoch);
        }
    }

    /** Builds a {@link CheckpointStore}: {@code setDirectory} is required, the rest optional. */
    public static final class Builder {
        private Path directory;
        private int keep = 3;
        private Consumer<String> warnings = message -> LOGGER.log(Level.WARNING, message);

        private Builder() {}

        /**
         * Sets the checkpoint directory (created if missing).
         *
         * @param directory the directory, e.g. {@code runDir.resolve("checkpoints")}
         * @return this builder
         */
        public Builder setDirectory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets how many of the newest checkpoints to keep.
         *
         * @param keep the count, {@code ≥ 1}; default 3
         * @return this builder
         */
        public Builder optKeep(int keep) {
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be >= 1, got " + keep);
            }
            this.keep = keep;
            return this;
        }

        /**
         * Sets where warnings about skipped checkpoints go.
         *
         * @param warnings receives one message per skipped file; default: {@code java.util.logging} at
         *     WARNING
         * @return this builder
         */
        public Builder optWarnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        /**
         * Creates the directory if needed and deletes temporary files a killed writer left in it.
         *
         * @return the store
         * @throws IOException if the directory cannot be created or cleaned
         */
        public CheckpointStore build() throws IOException {
            if (directory == null) {
                throw new IllegalStateException("setDirectory(Path) is required");
            }
            return new CheckpointStore(this);
        }
    }
}
