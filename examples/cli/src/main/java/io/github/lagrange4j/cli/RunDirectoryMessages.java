package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.NonFiniteException;
import io.github.lagrange4j.training.RunDirectoryException;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.RunDirectoryInUseException;
import java.nio.file.Path;

/**
 * The command line's wording of the driver's refusals and advice on resuming: its options ({@code --out},
 * {@code --resume}, {@code --allow-config-change}) instead of the driver's arguments, and its options instead of
 * the settings that differ on resume ({@link SettingFlags}).
 */
final class RunDirectoryMessages {

    private RunDirectoryMessages() {}

    /**
     * Returns the message of an exception as the command line says it.
     *
     * @param e the exception
     * @return the driver's message in terms of this command line's options (settings named as options), or the
     *     message as it is
     */
    static String of(Exception e) {
        if (e instanceof RunDirectoryException r) {
            return of(r);
        }
        if (e instanceof NonFiniteException n) {
            return n.diagnosis() + " The last good checkpoint is kept; resume with --resume after changing them"
                    + " (with --allow-config-change).";
        }
        if (e instanceof RunDirectoryInUseException u) {
            return u.getMessage().replace("(resuming the run continues it)", "(--resume " + u.directory()
                    + " continues it)");
        }
        if (e instanceof IllegalArgumentException) {
            return SettingFlags.inMessage(e.getMessage()); // e.g. the data set the files are, against data.dataset
        }
        return e.getMessage();
    }

    /**
     * Says why a run directory was refused, naming {@code --out}, {@code --resume} or {@code --allow-config-change}.
     *
     * @param e the driver's exception
     * @return the message for the command line
     */
    static String of(RunDirectoryException e) {
        String dir = String.valueOf(e.directory());
        return switch (e.reason()) {
            case HOLDS_A_RUN -> "run directory " + dir + " already holds a run (" + SparsityRun.CONFIG
                    + " exists); use --resume " + dir + " or choose another --out";
            case NOT_EMPTY -> "--out " + dir + " is not empty and holds no run (no " + SparsityRun.CONFIG
                    + "; it contains " + String.join(", ", e.details()) + "); choose a new or empty directory";
            case NOT_A_RUN -> "--resume: " + dir + " is not a run directory (no " + SparsityRun.CONFIG + ")";
            case SETTINGS_DIFFER -> "--resume: the requested configuration differs from the one " + dir
                    + " was started with:\n  "
                    + String.join("\n  ", e.details().stream().map(SettingFlags::inDifference).toList())
                    + "\nrerun without those options, or pass --allow-config-change";
        };
    }

    /**
     * Returns the command that continues a run.
     *
     * @param runDirectory the run directory
     * @return {@code ./lagrange4j train --resume DIR} (the directory quoted if it holds a blank or quote)
     */
    static String resumeCommand(Path runDirectory) {
        String dir = runDirectory.toString();
        if (dir.matches(".*[\\s'\"$`\\\\].*")) {
            dir = "'" + dir.replace("'", "'\\''") + "'";
        }
        return "./lagrange4j train --resume " + dir;
    }
}
