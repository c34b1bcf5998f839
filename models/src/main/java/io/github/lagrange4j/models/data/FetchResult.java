package io.github.lagrange4j.models.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MnistFetcher#fetch(Path)} did: which MNIST files it fetched and which were already in
 * place (all of them verified against their SHA-256).
 *
 * @param directory the data directory, now holding all four files
 * @param fetched the files obtained and moved into place by this call
 * @param alreadyPresent the files that were already present and verified
 */
public record FetchResult(Path directory, List<MnistFile> fetched, List<MnistFile> alreadyPresent) {

    /** Copies the lists and checks that together they name each file once. */
    public FetchResult {
        Objects.requireNonNull(directory, "directory");
        fetched = List.copyOf(fetched);
        alreadyPresent = List.copyOf(alreadyPresent);
        if (fetched.size() + alreadyPresent.size() != MnistFile.values().length) {
            throw new IllegalArgumentException("fetched and alreadyPresent must together name the "
                    + MnistFile.values().length + " MNIST files, got " + fetched + " and " + alreadyPresent);
        }
    }
}
