package io.github.lagrange4j.training;

import java.nio.file.Path;
import java.util.List;

/**
 * A run directory that {@link SparsityRun} refuses, with the reason and the directory, so that a caller can say
 * it in its own terms (the command line names its {@code --out}, {@code --resume} and
 * {@code --allow-config-change} options). The message names the method's arguments.
 */
public final class RunDirectoryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why the directory is refused. */
    public enum Reason {
        /** {@code start}: the directory already holds a run ({@code config.json} exists). */
        HOLDS_A_RUN,
        /** {@code start}: the directory holds other files and no run. */
        NOT_EMPTY,
        /** {@code resume}: the directory holds no run. */
        NOT_A_RUN,
        /** {@code resume}: the requested settings differ from the run's and the change was not allowed. */
        SETTINGS_DIFFER
    }

    private final Reason reason;
    private final transient Path directory;
    private final List<String> details;

    /**
     * Creates the exception.
     *
     * @param reason why the directory is refused
     * @param directory the run directory
     * @param details the entries found ({@link Reason#NOT_EMPTY}) or the differing settings
     *     ({@link Reason#SETTINGS_DIFFER}); empty otherwise
     */
    public RunDirectoryException(Reason reason, Path directory, List<String> details) {
        super(message(reason, directory, details));
        this.reason = reason;
        this.directory = directory;
        this.details = List.copyOf(details);
    }

    private static String message(Reason reason, Path directory, List<String> details) {
        return switch (reason) {
            case HOLDS_A_RUN -> "runDirectory " + directory + " already holds a run (" + SparsityRun.CONFIG
                    + " exists); resume it or choose another directory";
            case NOT_EMPTY -> "runDirectory " + directory + " is not empty and holds no run (no " + SparsityRun.CONFIG
                    + "; it contains " + String.join(", ", details) + "); choose a new or empty directory";
            case NOT_A_RUN -> "runDirectory " + directory + " is not a run directory (no " + SparsityRun.CONFIG + ")";
            case SETTINGS_DIFFER -> "requested: the settings differ from those " + directory + " was started with:\n  "
                    + String.join("\n  ", details) + "\nresume with the stored settings (requested = null) or allow"
                    + " the change (allowConfigChange = true)";
        };
    }

    /**
     * Returns why the directory is refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the run directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the entries found or the differing settings.
     *
     * @return the details, possibly empty
     */
    public List<String> details() {
        return details;
    }
}
