package io.github.lagrange4j.training.output;

/**
 * A run directory is owned by another live process (it holds the directory's {@link RunLock}); the
 * message names the directory and the process. {@link #directory()} and {@link #owner()} let a caller word its
 * own advice (the command line names {@code --resume}).
 */
public final class RunDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient java.nio.file.Path directory;
    private final String owner;

    /**
     * Creates the exception.
     *
     * @param message the directory, the owning process and what to do
     * @param directory the run directory
     * @param owner the owning process, e.g. {@code "process 12345 on myhost (started ...)"}
     */
    public RunDirectoryInUseException(String message, java.nio.file.Path directory, String owner) {
        super(message);
        this.directory = directory;
        this.owner = owner;
    }

    /**
     * Returns the run directory.
     *
     * @return the directory
     */
    public java.nio.file.Path directory() {
        return directory;
    }

    /**
     * Returns the process that owns the directory.
     *
     * @return its description
     */
    public String owner() {
        return owner;
    }
}
