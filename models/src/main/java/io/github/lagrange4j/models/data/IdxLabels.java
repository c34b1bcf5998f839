package io.github.lagrange4j.models.data;

import java.util.Objects;

/**
 * The content of an IDX label file: one unsigned byte class label per item.
 *
 * <p>Plain Java data (no native memory); the byte array is owned by this record and must not be
 * modified by callers.
 *
 * @param labels the labels, one unsigned byte per item (at least one)
 */
public record IdxLabels(byte[] labels) {

    /** Validates that there is at least one label. */
    public IdxLabels {
        Objects.requireNonNull(labels, "labels");
        if (labels.length < 1) {
            throw new IllegalArgumentException("labels must hold at least 1 label, got 0");
        }
    }

    /**
     * Returns the number of labels.
     *
     * @return the number of labels
     */
    public int count() {
        return labels.length;
    }

    /**
     * Returns one label as an unsigned value.
     *
     * @param index the item index in [0, count)
     * @return the label in [0, 255]
     */
    public int label(int index) {
        return labels[index] & 0xFF;
    }
}
