package io.github.lagrange4j.training;

import java.util.Locale;

/** The data sets a sparsity run trains on: 28×28 grey images of 10 classes, 60,000 for training, 10,000 for test. */
public enum DatasetKind {
    /** The handwritten digits of LeCun et al. */
    MNIST("MNIST"),
    /** Zalando's Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017), a drop-in replacement of MNIST. */
    FASHION_MNIST("Fashion-MNIST");

    private final String title;

    DatasetKind(String title) {
        this.title = title;
    }

    /**
     * Returns the name settings, files and options use, e.g. {@code "fashion-mnist"}.
     *
     * @return the lower-case, hyphenated name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the data set's usual name, which is also the name of its {@code IdxFileSet}.
     *
     * @return "MNIST" or "Fashion-MNIST"
     */
    public String title() {
        return title;
    }

    /**
     * Returns the data set a label names.
     *
     * @param label "mnist" or "fashion-mnist"
     * @return the data set
     * @throws IllegalArgumentException naming {@code data.dataset} if the label is neither
     */
    public static DatasetKind of(String label) {
        for (DatasetKind d : values()) {
            if (d.label().equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("data.dataset must be 'mnist' or 'fashion-mnist', got '" + label + "'");
    }
}
