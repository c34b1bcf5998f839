package io.github.lagrange4j.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Creates tar.gz archives for tests with the system's GNU tar, so the extractor meets real archives. */
final class TarGz {

    private TarGz() {}

    /**
     * Archives paths relative to {@code root} into {@code archive}.
     *
     * @param format "ustar", "pax" or "gnu"
     */
    static Path create(Path root, Path archive, String format, String... relativePaths)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "tar", "--format=" + format, "-czf", archive.toString(), "-C", root.toString()));
        command.addAll(List.of(relativePaths));
        Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IOException("tar failed: " + command + ": " + output);
        }
        return archive;
    }
}
