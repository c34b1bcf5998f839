package io.github.lagrange4j.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an external tool ({@code apt-get}, {@code dpkg-deb}) in a work directory, its output in a log
 * file there. Package-private helper of {@link DebianPackageSource}.
 *
 * @param exitCode the tool's exit status
 * @param output the last lines of its combined standard output and error
 */
record ToolRun(int exitCode, String output) {

    /**
     * Runs a command and waits for it.
     *
     * @param command the command and its arguments
     * @param directory the working directory (the log goes there too)
     * @param timeout how long the tool may run
     * @return its exit status and output
     * @throws DataFileException {@code APT_UNAVAILABLE} if it cannot be started, {@code APT_FAILED} if it
     *     does not finish in time or the wait is interrupted
     */
    static ToolRun of(List<String> command, Path directory, Duration timeout) throws IOException {
        Path log = Files.createTempFile(directory, "tool-", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DataFileException(Path.of(command.get(0)), DataFileException.Fault.APT_UNAVAILABLE,
                    "cannot run '" + String.join(" ", command) + "' (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DataFileException(Path.of(command.get(0)), DataFileException.Fault.APT_FAILED,
                        "'" + String.join(" ", command) + "' did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataFileException(Path.of(command.get(0)), DataFileException.Fault.APT_FAILED,
                    "interrupted while waiting for '" + String.join(" ", command) + "'", e);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        List<String> last = lines.subList(Math.max(0, lines.size() - 6), lines.size());
        return new ToolRun(process.exitValue(), String.join(" | ", last).strip());
    }
}
