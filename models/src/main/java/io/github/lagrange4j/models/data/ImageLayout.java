package io.github.lagrange4j.models.data;

import ai.djl.ndarray.types.Shape;

/**
 * The shape in which each image is handed to a network.
 *
 * <ul>
 *   <li>{@link #FLAT}: a vector of {@code rows · columns} values (784 for MNIST), for dense networks;
 *   <li>{@link #CHANNEL_FIRST}: {@code 1 × rows × columns} (1 × 28 × 28), for convolutional networks.
 * </ul>
 */
public enum ImageLayout {
    /** One vector of {@code rows · columns} values per image. */
    FLAT,
    /** One {@code 1 × rows × columns} tensor per image (one grey channel first). */
    CHANNEL_FIRST;

    /**
     * Returns the shape of a stack of {@code count} images in this layout.
     *
     * @param count the number of images (at least 1)
     * @param rows the image height (at least 1)
     * @param columns the image width (at least 1)
     * @return {@code (count, rows·columns)} or {@code (count, 1, rows, columns)}
     * @throws IllegalArgumentException if a size is below 1
     */
    public Shape stackShape(long count, long rows, long columns) {
        if (count < 1 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "count, rows and columns must be >= 1, got " + count + ", " + rows + ", " + columns);
        }
        return this == FLAT ? new Shape(count, rows * columns) : new Shape(count, 1, rows, columns);
    }
}
