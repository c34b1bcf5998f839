package io.github.lagrange4j.training;

import io.github.lagrange4j.models.data.FashionMnistFile;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFile;
import io.github.lagrange4j.models.data.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that the data files a run trains on are the data set its settings name, before anything is written:
 * otherwise a Fashion-MNIST run could be recorded in {@code config.json}, exported and resumed as MNIST.
 *
 * <p>Two checks: the file set's name ({@link IdxFileSet#mnist} is "MNIST", {@link IdxFileSet#fashionMnist}
 * "Fashion-MNIST"), and the content, recognised by the SHA-256 of the training labels (60 kB, read in
 * microseconds): genuine MNIST raw, Fashion-MNIST gzipped as distributed, and Fashion-MNIST uncompressed. Files
 * of unknown content (a custom or synthetic set under a custom name) pass.
 */
final class DatasetCheck {

    /** SHA-256 of the uncompressed Fashion-MNIST training labels (the .gz's digest is {@link FashionMnistFile}'s). */
    static final String FASHION_MNIST_RAW_TRAIN_LABELS =
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9";

    private static final Map<String, DatasetKind> DATASET_BY_LABELS_DIGEST = Map.of(
            MnistFile.TRAIN_LABELS.sha256(), DatasetKind.MNIST,
            FashionMnistFile.TRAIN_LABELS.sha256(), DatasetKind.FASHION_MNIST,
            FASHION_MNIST_RAW_TRAIN_LABELS, DatasetKind.FASHION_MNIST);

    private DatasetCheck() {}

    /**
     * Refuses data files that are another data set than the settings' {@code data.dataset}.
     *
     * @param settings the run's settings
     * @param files the files it would train on
     * @throws IllegalArgumentException naming the setting's data set and the files' data set
     * @throws IOException if the training labels cannot be read
     */
    static void check(RunSettings settings, IdxFileSet files) throws IOException {
        DatasetKind expected = settings.data().dataset();
        Optional<DatasetKind> named = Arrays.stream(DatasetKind.values()).filter(d -> d.title().equals(files.name()))
                .findFirst();
        if (named.isPresent() && named.get() != expected) {
            throw mismatch(expected, named.get(), files, "named " + files.name());
        }
        Optional<DatasetKind> content = content(files);
        if (content.isPresent() && content.get() != expected) {
            throw mismatch(expected, content.get(), files, "their training labels are " + content.get().label()
                    + "'s (SHA-256)");
        }
    }

    private static Optional<DatasetKind> content(IdxFileSet files) throws IOException {
        if (!Files.isRegularFile(files.trainLabels())) {
            return Optional.empty(); // the loader reports the missing file, naming it
        }
        return Optional.ofNullable(DATASET_BY_LABELS_DIGEST.get(Sha256.of(files.trainLabels())));
    }

    private static IllegalArgumentException mismatch(DatasetKind expected, DatasetKind found, IdxFileSet files,
            String how) {
        return new IllegalArgumentException("data.dataset: the settings say '" + expected.label() + "' but the data"
                + " files in " + files.trainLabels().getParent() + " are '" + found.label() + "' (" + how
                + "); set data.dataset to '" + found.label() + "' or give the " + expected.label() + " files");
    }
}
