package io.github.lagrange4j.training.output;

/**
 * A run directory is owned by another live process (it holds the directory's {@link RunLock}); the
 * message names the directory and the process.
 */
public final class RunDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the directory, the owning process and what to do
     */
    public RunDirectoryInUseException(String message) {
        super(message);
    }
}
