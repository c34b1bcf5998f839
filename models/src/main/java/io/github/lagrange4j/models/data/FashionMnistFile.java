package io.github.lagrange4j.models.data;

/**
 * The four Fashion-MNIST files (gzip-compressed IDX, as Zalando distributes them and the Debian package
 * {@code dataset-fashion-mnist 0.0~git20200523.55506a9-1} installs them) with their SHA-256 digests.
 */
public enum FashionMnistFile {
    /** 60,000 training images, 28 × 28. */
    TRAIN_IMAGES("train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
    /** 60,000 training labels. */
    TRAIN_LABELS("train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
    /** 10,000 test images, 28 × 28. */
    TEST_IMAGES("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
    /** 10,000 test labels. */
    TEST_LABELS("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    private final String fileName;
    private final String sha256;

    FashionMnistFile(String fileName, String sha256) {
        this.fileName = fileName;
        this.sha256 = sha256;
    }

    /**
     * Returns the file name in the data directory and in the package.
     *
     * @return the file name
     */
    public String fileName() {
        return fileName;
    }

    /**
     * Returns the expected SHA-256 digest in lower-case hexadecimal.
     *
     * @return the digest
     */
    public String sha256() {
        return sha256;
    }
}
