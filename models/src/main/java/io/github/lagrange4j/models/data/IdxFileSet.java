package io.github.lagrange4j.models.data;

import ai.djl.training.dataset.Dataset;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * The four IDX files of an MNIST-style data set: images and labels of the training and test splits.
 *
 * @param name the data set's name, used in messages ("MNIST", "Fashion-MNIST")
 * @param trainImages the training images (60,000 for MNIST)
 * @param trainLabels the training labels
 * @param testImages the test images (10,000 for MNIST)
 * @param testLabels the test labels
 */
public record IdxFileSet(String name, Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

    /**
     * Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST.
     */
    public static final Path DEBIAN_FASHION_MNIST_DIR = Paths.get("/usr/share/datasets/fashion-mnist");

    /** Validates that no part is null. */
    public IdxFileSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
    }

    /**
     * Returns the genuine MNIST files (raw IDX, as {@link MnistFetcher} stores them) in a directory.
     *
     * @param directory the directory holding {@code train-images-idx3-ubyte} and the three others
     * @return the file set
     */
    public static IdxFileSet mnist(Path directory) {
        return new IdxFileSet("MNIST",
                directory.resolve(MnistFile.TRAIN_IMAGES.fileName()),
                directory.resolve(MnistFile.TRAIN_LABELS.fileName()),
                directory.resolve(MnistFile.TEST_IMAGES.fileName()),
                directory.resolve(MnistFile.TEST_LABELS.fileName()));
    }

    /**
     * Returns the Fashion-MNIST files (gzip-compressed IDX, as distributed) in a directory.
     *
     * @param directory the directory holding {@code train-images-idx3-ubyte.gz} and the three others
     * @return the file set
     */
    public static IdxFileSet fashionMnist(Path directory) {
        return new IdxFileSet("Fashion-MNIST",
                directory.resolve("train-images-idx3-ubyte.gz"),
                directory.resolve("train-labels-idx1-ubyte.gz"),
                directory.resolve("t10k-images-idx3-ubyte.gz"),
                directory.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    /**
     * Returns the Fashion-MNIST files in their default place: the project's data directory
     * ({@code ~/.lagrange4j/data/fashion-mnist}, where {@link FashionMnistFetcher} puts them) if it holds
     * them, else the system-wide Debian package's {@link #DEBIAN_FASHION_MNIST_DIR}.
     *
     * @return the file set in the directory {@link FashionMnistFetcher#locate} finds
     */
    public static IdxFileSet fashionMnist() {
        return fashionMnist(FashionMnistFetcher.locate(null));
    }

    /**
     * Returns the images file of a split.
     *
     * @param usage {@code TRAIN} or {@code TEST}
     * @return the images file
     * @throws IllegalArgumentException for {@code VALIDATION}: MNIST ships no validation split
     */
    public Path images(Dataset.Usage usage) {
        return requireTrainOrTest(usage) == Dataset.Usage.TRAIN ? trainImages : testImages;
    }

    /**
     * Returns the labels file of a split.
     *
     * @param usage {@code TRAIN} or {@code TEST}
     * @return the labels file
     * @throws IllegalArgumentException for {@code VALIDATION}: MNIST ships no validation split
     */
    public Path labels(Dataset.Usage usage) {
        return requireTrainOrTest(usage) == Dataset.Usage.TRAIN ? trainLabels : testLabels;
    }

    static Dataset.Usage requireTrainOrTest(Dataset.Usage usage) {
        if (usage != Dataset.Usage.TRAIN && usage != Dataset.Usage.TEST) {
            throw new IllegalArgumentException("usage must be TRAIN or TEST, got " + usage);
        }
        return usage;
    }
}
