package io.github.lagrange4j.models.data;

import java.util.Objects;

/**
 * The content of an IDX image file: {@code count} grey-scale images of {@code rows × columns} unsigned
 * bytes, stored row-major one image after the other.
 *
 * <p>Plain Java data (no native memory); the byte array is owned by this record and must not be
 * modified by callers.
 *
 * @param count the number of images (at least 1)
 * @param rows the image height in pixels (at least 1)
 * @param columns the image width in pixels (at least 1)
 * @param pixels {@code count * rows * columns} unsigned bytes (0 = background, 255 = ink)
 */
public record IdxImages(int count, int rows, int columns, byte[] pixels) {

    /** Validates the dimensions against the pixel array. */
    public IdxImages {
        Objects.requireNonNull(pixels, "pixels");
        if (count < 1 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException(
                    "count, rows and columns must be >= 1, got " + count + ", " + rows + ", " + columns);
        }
        if ((long) count * rows * columns != pixels.length) {
            throw new IllegalArgumentException(
                    "pixels must hold count*rows*columns = " + (long) count * rows * columns
                            + " bytes, got " + pixels.length);
        }
    }

    /**
     * Returns the number of pixels of one image.
     *
     * @return {@code rows * columns}
     */
    public int pixelsPerImage() {
        return rows * columns;
    }

    /**
     * Returns one pixel as an unsigned value.
     *
     * @param image the image index in [0, count)
     * @param row the row in [0, rows)
     * @param column the column in [0, columns)
     * @return the pixel in [0, 255]
     */
    public int pixel(int image, int row, int column) {
        return pixels[(image * rows + row) * columns + column] & 0xFF;
    }
}
