package io.github.lagrange4j.models.data;

import io.github.lagrange4j.models.data.DataFileException.Fault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Obtains a Debian package's files without installing it and without root: {@code apt-get download
 * <package>} in a work directory (apt fetches the {@code .deb} from the configured mirrors and checks it
 * against the signed package lists), then {@code dpkg-deb -x} unpacks it there. Nothing is installed and
 * nothing outside the work directory is written, except that as root with no package lists yet
 * {@code apt-get update} is run once.
 *
 * @param packageName the package, e.g. {@value #FASHION_MNIST_PACKAGE}
 * @param timeout how long each tool may run
 * @param aptGet the apt-get executable ("apt-get" to look it up on the {@code PATH})
 */
public record DebianPackageSource(String packageName, Duration timeout, String aptGet) {

    /** The Debian package that ships Fashion-MNIST in {@code /usr/share/datasets/fashion-mnist}. */
    public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";

    /** Validates the package name and the timeout. */
    public DebianPackageSource {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(aptGet, "aptGet");
        if (!packageName.matches("[a-z0-9][a-z0-9+.-]+")) {
            throw new IllegalArgumentException("packageName must be a Debian package name, got '" + packageName + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
    }

    /**
     * Returns the source of {@value #FASHION_MNIST_PACKAGE}, each tool given at most ten minutes.
     *
     * @return the source
     */
    public static DebianPackageSource fashionMnist() {
        return new DebianPackageSource(FASHION_MNIST_PACKAGE, Duration.ofMinutes(10), "apt-get");
    }

    /**
     * Downloads the package into a work directory and unpacks it.
     *
     * @param workDirectory an empty directory owned by the caller, deleted by it afterwards
     * @return the root of the unpacked file tree (holding {@code usr/share/...})
     * @throws DataFileException {@code APT_UNAVAILABLE} without apt-get or dpkg-deb, {@code APT_FAILED}
     *     if the package cannot be downloaded (the message says what to run) or unpacked
     * @throws IOException if the work directory cannot be written
     */
    public Path obtainTree(Path workDirectory) throws IOException {
        List<String> download = List.of(aptGet, "download", "-q", packageName);
        ToolRun run = ToolRun.of(download, workDirectory, timeout);
        if (run.exitCode() != 0 && lacksPackageLists(run.output()) && isRoot()) {
            ToolRun update = ToolRun.of(List.of(aptGet, "update", "-q"), workDirectory, timeout);
            if (update.exitCode() != 0) {
                throw failed("apt-get update -q", update);
            }
            run = ToolRun.of(download, workDirectory, timeout);
        }
        if (run.exitCode() != 0) {
            String remedy = lacksPackageLists(run.output())
                    ? "; apt's package lists do not know " + packageName + " yet: run 'sudo apt-get update' (as root:"
                            + " 'apt-get update'), then fetch again"
                    : "";
            throw failed("apt-get download -q " + packageName, run, remedy);
        }
        Path deb = null;
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(workDirectory, packageName + "_*.deb")) {
            for (Path candidate : debs) {
                deb = candidate;
            }
        }
        if (deb == null) {
            throw new DataFileException(Paths.get("apt-get"), Fault.APT_FAILED, "'" + String.join(" ", download)
                    + "' succeeded but left no " + packageName + "_*.deb in " + workDirectory);
        }
        Path tree = Files.createDirectory(workDirectory.resolve("tree"));
        ToolRun unpack = ToolRun.of(List.of("dpkg-deb", "-x", deb.toString(), tree.toString()), workDirectory, timeout);
        if (unpack.exitCode() != 0) {
            throw new DataFileException(deb, Fault.BAD_ARCHIVE, "dpkg-deb -x exited with status "
                    + unpack.exitCode() + (unpack.output().isEmpty() ? "" : "; it said: " + unpack.output()));
        }
        return tree;
    }

    private static boolean lacksPackageLists(String output) {
        return output.contains("Unable to locate package") || output.contains("has no installation candidate")
                || output.contains("Can't select candidate version");
    }

    private DataFileException failed(String command, ToolRun run) {
        return failed(command, run, "");
    }

    private DataFileException failed(String command, ToolRun run, String remedy) {
        return new DataFileException(Paths.get("apt-get"), Fault.APT_FAILED, "'" + command + "' exited with status "
                + run.exitCode() + (run.output().isEmpty() ? "" : "; it said: " + run.output()) + remedy
                + "; or install the package system-wide with 'sudo apt-get install " + packageName + "'");
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
