package io.github.lagrange4j.training;

import java.util.Arrays;

/**
 * The project's one median (of bench epoch times and of export throughputs) and the least-squares slope (of the
 * resident size over the epochs in {@code lagrange4j bench}). Pure arithmetic on doubles; no engine, no I/O.
 */
public final class Statistics {

    private Statistics() {}

    /**
     * Returns the median: the middle value of an odd count, the mean of the two middle values of an even one.
     *
     * @param values the values, at least one, all finite (not modified)
     * @return the median
     * @throws IllegalArgumentException if there is no value or one is not finite
     */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        requireFinite("value", values);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Returns the slope b of the least-squares line y ≈ a + b·x:
     * b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², computed on centred values (exact for points on a line with
     * small integer coordinates).
     *
     * @param x the abscissas, e.g. epoch numbers
     * @param y the ordinates, e.g. resident sizes in MB; as many as {@code x}
     * @return the slope, in units of y per unit of x
     * @throws IllegalArgumentException if the lengths differ, there are fewer than two points, a value is
     *     not finite, or all abscissas are equal
     */
    public static double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("slope needs as many x as y values, got " + x.length + " and "
                    + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("slope needs at least 2 points, got " + x.length);
        }
        requireFinite("x", x);
        requireFinite("y", y);
        double meanX = mean(x);
        double meanY = mean(y);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - meanX;
            sxy += dx * (y[i] - meanY);
            sxx += dx * dx;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("slope is undefined when all x are equal (" + x[0] + ")");
        }
        return sxy / sxx;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static void requireFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
    }
}
