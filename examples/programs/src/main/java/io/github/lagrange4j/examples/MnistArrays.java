package io.github.lagrange4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.models.data.IdxImages;
import io.github.lagrange4j.models.data.IdxLabels;
import io.github.lagrange4j.models.data.IdxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * MNIST as two plain arrays, for the examples that train a softmax-linear classifier {@code W x + b}
 * with their own loop: reading, batch order, and test-set rates.
 */
final class MnistArrays {

    /** Images as rows of 784 pixels in [0, 1] (float32), labels as int32. */
    record Split(NDArray images, NDArray labels) {

        /** Returns the number of examples. */
        int size() {
            return (int) labels.size();
        }

        /** Returns rows {@code [from, to)} as a new split owned by the same manager. */
        Split range(int from, int to) {
            return new Split(images.get(from + ":" + to), labels.get(from + ":" + to));
        }
    }

    private MnistArrays() {}

    /** Reads one split of the IDX files into the manager. */
    static Split read(NDManager manager, Path images, Path labels) throws IOException {
        IdxImages img = IdxReader.readImages(images);
        IdxLabels lab = IdxReader.readLabels(labels);
        float[] pixels = new float[img.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (img.pixels()[i] & 0xFF) / 255f;
        }
        int[] y = new int[lab.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.label(i);
        }
        return new Split(manager.create(pixels, new Shape(img.count(), img.pixelsPerImage())), manager.create(y));
    }

    /** A seeded permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows {@code perm[from..from+size)} as int64 indices. */
    static long[] batch(int[] perm, int from, int size) {
        long[] idx = new long[size];
        for (int j = 0; j < size; j++) {
            idx[j] = perm[from + j];
        }
        return idx;
    }

    /** {recall of class k, accuracy} of {@code W x + b} on a split, 0-1. */
    static double[] recallAndAccuracy(NDArray w, NDArray b, Split split, int k) {
        try (NDScope ignored = new NDScope()) {
            NDArray predicted = split.images().matMul(w).add(b).argMax(1).toType(DataType.INT32, false);
            NDArray labels = split.labels();
            NDArray isK = labels.eq(k);
            double positives = count(isK);
            double hits = count(predicted.eq(k).logicalAnd(isK));
            double correct = count(predicted.eq(labels));
            return new double[] {hits / positives, correct / labels.size()};
        }
    }

    private static double count(NDArray mask) {
        return mask.toType(DataType.FLOAT64, false).sum().getDouble();
    }
}
