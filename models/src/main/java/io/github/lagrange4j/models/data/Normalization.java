package io.github.lagrange4j.models.data;

/**
 * How unsigned-byte pixels {@code p ∈ {0, …, 255}} become the floats a network sees.
 *
 * <ul>
 *   <li>{@link #UNIT_INTERVAL}: {@code x = p / 255}, so {@code x ∈ [0, 1]};
 *   <li>{@link #MNIST_STANDARDIZED}: {@code x = (p / 255 − 0.1307) / 0.3081}, the mean and standard
 *       deviation of the MNIST training pixels (the convention of the PyTorch MNIST examples and of
 *       Louizos, Welling and Kingma, "Learning Sparse Neural Networks through L0 Regularization", 2018).
 * </ul>
 */
public enum Normalization {
    /** {@code x = p / 255 ∈ [0, 1]}. */
    UNIT_INTERVAL("unit", 0.0, 1.0),
    /** {@code x = (p / 255 − 0.1307) / 0.3081}. */
    MNIST_STANDARDIZED("standardized", 0.1307, 0.3081);

    private final String label;
    private final double mean;
    private final double std;

    Normalization(String label, double mean, double std) {
        this.label = label;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Returns the name settings and files use for this normalization.
     *
     * @return {@code "unit"} or {@code "standardized"}
     */
    public String label() {
        return label;
    }

    /**
     * Returns the normalization a setting names.
     *
     * @param label {@code "unit"} or {@code "standardized"}
     * @return the normalization
     * @throws IllegalArgumentException naming {@code normalization} if the label is neither
     */
    public static Normalization fromLabel(String label) {
        for (Normalization n : values()) {
            if (n.label.equals(label)) {
                return n;
            }
        }
        throw new IllegalArgumentException("normalization must be 'standardized' or 'unit', got '" + label + "'");
    }

    /**
     * Returns the mean subtracted after scaling to [0, 1].
     *
     * @return the mean (0 for {@link #UNIT_INTERVAL})
     */
    public double mean() {
        return mean;
    }

    /**
     * Returns the standard deviation divided by after subtracting the mean.
     *
     * @return the standard deviation (1 for {@link #UNIT_INTERVAL})
     */
    public double std() {
        return std;
    }

    /**
     * Returns the normalised value of one pixel.
     *
     * @param pixel the unsigned pixel in [0, 255]
     * @return {@code (pixel / 255 − mean) / std}
     * @throws IllegalArgumentException if {@code pixel} is outside [0, 255]
     */
    public float apply(int pixel) {
        if (pixel < 0 || pixel > 255) {
            throw new IllegalArgumentException("pixel must be in [0, 255], got " + pixel);
        }
        return (float) ((pixel / 255.0 - mean) / std);
    }

    /**
     * Returns the normalised value of every byte value, indexed by the unsigned byte.
     *
     * @return a new array {@code t} with {@code t[p] = apply(p)} for {@code p ∈ [0, 255]}
     */
    public float[] lookupTable() {
        float[] table = new float[256];
        for (int p = 0; p < 256; p++) {
            table[p] = apply(p);
        }
        return table;
    }
}
