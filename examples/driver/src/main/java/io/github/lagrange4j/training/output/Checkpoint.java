package io.github.lagrange4j.training.output;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checkpoint read back and verified by {@link CheckpointStore#loadNewestValid()}: the epoch it was saved
 * at, its format version, and the caller's training state: the named sections of format version 2, or the
 * one opaque payload of format version 1.
 *
 * <p>The payload is the verified content (its SHA-256 matched the header); the caller deserialises its
 * sections ({@link #section}) or, for version 1, the payload. Arrays are not copied: the record hands over
 * ownership, so do not modify them while others read them.
 *
 * @param epoch the epoch the state was saved after, {@code ≥ 0}
 * @param formatVersion the file's format version, 1 or 2 ({@link CheckpointStore} has the layouts)
 * @param payload the verified payload: for version 1 exactly as given to the writer, for version 2 the
 *     encoded sections
 * @param sections the sections of a version-2 checkpoint, in file order; empty for version 1
 * @param file the file it was read from
 */
public record Checkpoint(int epoch, int formatVersion, byte[] payload, List<CheckpointSection> sections, Path file) {

    /** Validates the components. */
    public Checkpoint {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (formatVersion != 1 && formatVersion != 2) {
            throw new IllegalArgumentException("formatVersion must be 1 or 2, got " + formatVersion);
        }
        Objects.requireNonNull(payload, "payload");
        sections = List.copyOf(sections);
        Objects.requireNonNull(file, "file");
    }

    /**
     * Returns a section that must be present.
     *
     * @param name the section's name
     * @return the section
     * @throws IOException naming the file, its format version and the sections it has, if it is missing
     */
    public CheckpointSection section(String name) throws IOException {
        return optionalSection(name).orElseThrow(() -> new IOException(file.getFileName() + " (format version "
                + formatVersion + ") has no section '" + name + "'; its sections: "
                + sections.stream().map(CheckpointSection::name).toList()));
    }

    /**
     * Returns a section that may be absent.
     *
     * @param name the section's name
     * @return the section, or empty
     */
    public Optional<CheckpointSection> optionalSection(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
