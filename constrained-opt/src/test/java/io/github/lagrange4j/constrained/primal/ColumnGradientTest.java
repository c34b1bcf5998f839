package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An update from a {@link ColumnGradient} is the update from the full gradient with zeros outside the columns,
 * bit for bit: Adam's single pass row by row, Adam's other forms and SGD through the full gradient it builds.
 */
class ColumnGradientTest {

    private static final int STEPS = 30;

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static StatefulOptimizer optimizer(String kind) {
        return switch (kind) {
            case "adam-pass" -> StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f))
                    .optWeightDecays(0.001f).setRescaleGrad(0.5f).build();
            case "adam-pass-dots" -> StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
            case "adam-engine" -> StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f))
                    .optVectorKernel(false).build();
            case "sgd" -> StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9).build();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Updates a (rows, cols) weight STEPS times from random gradients on random columns; returns its values. */
    private static float[] train(String kind, int rows, int cols, boolean byColumns, long[] columnUpdates) {
        StatefulOptimizer opt = optimizer(kind);
        Random r = new Random(7);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(random(r, rows * cols), new Shape(rows, cols));
            for (int t = 0; t < STEPS; t++) {
                int[] columns = r.ints(0, cols).distinct().limit(Math.max(1, cols / 3)).sorted().toArray();
                float[] values = random(r, rows * columns.length);
                try (NDManager step = m.newSubManager()) {
                    NDArray v = step.create(values, new Shape(rows, columns.length));
                    if (byColumns) {
                        // "-dots": the column dots asked for too (the closed-form gates ask for them every step)
                        try (ColumnGradient g = kind.endsWith("-dots")
                                ? ColumnGradient.of(v, columns, cols).withColumnDots(new float[columns.length])
                                : ColumnGradient.of(v, columns, cols)) {
                            opt.update("w", w, g);
                        }
                    } else {
                        float[] full = new float[rows * cols];
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < columns.length; j++) {
                                full[i * cols + columns[j]] = values[i * columns.length + j];
                            }
                        }
                        opt.update("w", w, step.create(full, new Shape(rows, cols)));
                    }
                }
            }
            columnUpdates[0] = opt.columnUpdates();
            return w.toFloatArray();
        }
    }

    @ParameterizedTest(name = "{0}, {1}x{2}")
    @CsvSource({"adam-pass, 300, 784", "adam-pass-dots, 300, 784", "adam-pass-dots, 7, 37", "adam-pass, 30, 784", "adam-pass, 7, 37", "adam-pass, 5, 3", "adam-engine, 7, 37", "sgd, 7, 37"})
    void anUpdateFromTheColumnsIsTheUpdateFromTheFullGradient(String kind, int rows, int cols) {
        long[] none = new long[1];
        long[] counted = new long[1];
        float[] full = train(kind, rows, cols, false, none);
        float[] columns = train(kind, rows, cols, true, counted);
        assertThat(columns).containsExactly(full);
        assertThat(none[0]).isZero();
        assertThat(counted[0]).isEqualTo(STEPS);
    }

    /**
     * Asked for them, the update adds {@code Σ_i g_ik w_ik} per column with w before the update: in the single
     * pass (some columns, all columns, row lengths not a multiple of the SIMD width) and, where the pass does not
     * run (SGD), before the update; against double-precision sums.
     */
    @ParameterizedTest(name = "{0}, {1}x{2}, {3} columns")
    @CsvSource({"adam, 300, 784, 198", "adam, 30, 784, 200", "adam, 7, 37, 37", "adam, 5, 19, 4", "sgd, 7, 37, 9"})
    void theUpdateAddsTheColumnDotsOfTheGradientAndTheWeightBeforeIt(String kind, int rows, int cols, int k) {
        StatefulOptimizer opt = "adam".equals(kind)
                ? StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build()
                : StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        RandomColumns f = RandomColumns.of(rows, cols, k, rows * 1000L + cols);
        int[] columns = f.columns();
        float[] wv = f.weight();
        float[] gv = f.values();
        double[] expected = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                expected[j] += (double) gv[r * k + j] * wv[r * cols + columns[j]];
            }
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(wv, new Shape(rows, cols));
            w.setRequiresGradient(true);
            float[] dots = new float[k];
            dots[0] = 1f; // added to, not overwritten
            try (ColumnGradient g = ColumnGradient.of(m.create(gv, new Shape(rows, k)), columns, cols)
                    .withColumnDots(dots)) {
                opt.update("w", w, g);
            }
            assertThat(w.toFloatArray()).as("the weight moved").isNotEqualTo(wv);
            for (int j = 0; j < k; j++) {
                double want = expected[j] + (j == 0 ? 1 : 0);
                assertThat((double) dots[j]).as("column %d", j)
                        .isCloseTo(want, Offset.offset(1e-4 * (1 + Math.abs(want))));
            }
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ColumnGradient two = ColumnGradient.of(m.ones(new Shape(1, 2)), new int[] {0, 1}, 3);
            assertThatThrownBy(() -> two.withColumnDots(new float[3])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one float per column (2)");
        }
    }

    /**
     * The dots of the live columns formed from the gradient and a copy of the weight's live columns (both {@code
     * (rows, k)}) are, bit for bit, those the Adam pass adds on its way; the same through the engine's arrays
     * copied out (no direct memory); and shapes that do not fit are refused by name.
     */
    @ParameterizedTest(name = "{0}x{1}, {2} columns")
    @CsvSource({"300, 784, 198", "30, 784, 200", "7, 37, 37", "5, 19, 4"})
    void liveColumnDotsAreTheOnesTheAdamPassForms(int rows, int cols, int k) {
        RandomColumns f = RandomColumns.of(rows, cols, k, rows * 7L + k);
        int[] columns = f.columns();
        float[] wv = f.weight();
        float[] gv = f.values();
        float[] live = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                live[r * k + j] = wv[r * cols + columns[j]];
            }
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(wv, new Shape(rows, cols));
            w.setRequiresGradient(true);
            float[] byAdam = new float[k];
            try (ColumnGradient g = ColumnGradient.of(m.create(gv, new Shape(rows, k)), columns, cols)
                    .withColumnDots(byAdam)) {
                StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build().update("w", w, g);
            }
            float[] byColumns = new float[k];
            ColumnGradient.addLiveColumnDots(m.create(gv, new Shape(rows, k)), m.create(live, new Shape(rows, k)),
                    byColumns);
            assertThat(byColumns).containsExactly(byAdam);
            // a transposed view's copy-out takes the element-by-element path: the same sums
            float[] viaCopy = new float[k];
            try (NDArray gt = m.create(gv, new Shape(rows, k)).transpose().transpose();
                    NDArray lt = m.create(live, new Shape(k, rows)).transpose()) {
                float[] liveT = new float[rows * k];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < k; j++) {
                        liveT[j * rows + r] = live[r * k + j];
                    }
                }
                try (NDArray ltv = m.create(liveT, new Shape(k, rows)).transpose()) {
                    ColumnGradient.addLiveColumnDots(gt, ltv, viaCopy);
                }
            }
            assertThat(viaCopy).containsExactly(byAdam);
            assertThatThrownBy(() -> ColumnGradient.addLiveColumnDots(m.create(gv, new Shape(rows, k)),
                    m.zeros(new Shape(rows, k + 1)), new float[k])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one shape");
        }
    }

    @Test
    void theSinglePassUpdatesFromTheColumnsWithoutTheFullGradient() {
        StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.ones(new Shape(4, 10));
            try (ColumnGradient g = ColumnGradient.of(m.ones(new Shape(4, 2)), new int[] {1, 7}, 10)) {
                adam.update("w", w, g);
            }
            // Adam's first step moves every element with a non-zero gradient by the learning rate, no other
            float[] after = w.toFloatArray();
            for (int i = 0; i < after.length; i++) {
                int col = i % 10;
                assertThat(after[i]).isCloseTo(col == 1 || col == 7 ? 0.99f : 1f, Offset.offset(1e-6f));
            }
            assertThat(adam.vectorUpdates()).isEqualTo(StatefulAdam.vectorKernelAvailable() ? 1 : 0);
        }
    }

    @Test
    void columnsMustBeAscendingInsideTheParameterAndMatchTheValues() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray v = m.zeros(new Shape(3, 2));
            assertThatThrownBy(() -> ColumnGradient.of(v, new int[] {4, 2}, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
            assertThatThrownBy(() -> ColumnGradient.of(v, new int[] {2, 10}, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 10)");
            assertThatThrownBy(() -> ColumnGradient.of(v, new int[] {1, 2, 3}, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 3");
            StatefulOptimizer adam = optimizer("adam-pass");
            NDArray w = m.zeros(new Shape(4, 10));
            try (ColumnGradient g = ColumnGradient.of(v, new int[] {1, 2}, 10)) {
                assertThatThrownBy(() -> adam.update("w", w, g))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit parameter w");
            }
        }
    }

    /** A weight {@code (rows, cols)} and the gradient {@code (rows, k)} of {@code k} random ascending columns. */
    private record RandomColumns(int[] columns, float[] weight, float[] values) {

        static RandomColumns of(int rows, int cols, int k, long seed) {
            Random random = new Random(seed);
            java.util.List<Integer> all = new java.util.ArrayList<>();
            for (int c = 0; c < cols; c++) {
                all.add(c);
            }
            java.util.Collections.shuffle(all, random);
            int[] columns = all.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
            float[] w = new float[rows * cols];
            float[] g = new float[rows * k];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
            }
            return new RandomColumns(columns, w, g);
        }
    }
}
