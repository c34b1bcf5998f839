package io.github.lagrange4j.training.output;

import java.io.IOException;

/**
 * Thrown when a checkpoint directory holds checkpoints but none of them verifies (bad magic, unsupported
 * format version, truncated, or checksum mismatch). The message names every file and its fault, so the
 * user can decide whether to restart the run or recover a file by hand.
 */
public final class CorruptCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the files and their faults
     */
    public CorruptCheckpointException(String message) {
        super(message);
    }
}
