package io.github.lagrange4j.training.output;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint read back and verified by {@link CheckpointStore#loadNewestValid()}: the epoch it was saved
 * at and the caller's serialised training state.
 *
 * <p>The payload is the verified content (its SHA-256 matched the header); the caller deserialises it. The
 * array is not copied: the record hands over ownership, so do not modify it while others read it.
 *
 * @param epoch the epoch the state was saved after, {@code ≥ 0}
 * @param payload the serialised training state exactly as given to {@link CheckpointStore#save}
 * @param file the file it was read from
 */
public record Checkpoint(int epoch, byte[] payload, Path file) {

    /** Validates the components. */
    public Checkpoint {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(file, "file");
    }
}
