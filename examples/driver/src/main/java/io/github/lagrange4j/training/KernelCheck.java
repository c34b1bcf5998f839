package io.github.lagrange4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-check of the engine's CPU convolution kernels: 2-D convolution forward and both gradients (input and
 * weight) in float32 against the same computation in float64, for the input-channel counts that matter (1, 8,
 * 16, 17, 20, 24, 31, 32, 50, among them LeNet-5-Caffe's own two layers). It takes milliseconds once the
 * engine is loaded.
 *
 * <p>Why: oneDNN (inside PyTorch) picks its kernels by the CPU's instruction sets, and its AVX-512 kernels were
 * once seen to be wrong for 17-31 input channels on one CPU, while SSE4.1's were right. The kernel set is
 * fixed when the native library starts ({@code ONEDNN_MAX_CPU_ISA} in the environment), so the {@code
 * lagrange4j} launcher runs this class in a short child JVM per setting, fastest first, keeps the first
 * setting that passes and caches the verdict per CPU model, CPU flags and PyTorch version; a user's own
 * {@code ONEDNN_MAX_CPU_ISA} always wins. {@link #main} exits 0 if every case agrees, 3 if one does not.
 *
 * <p>The tests' JVM wrapper ({@code scripts/test-jvm/bin/java}) runs this source file directly with Java's
 * single-file launcher, before its module may be built: it must stay one file that needs nothing but DJL.
 */
public final class KernelCheck {

    /** The largest relative error (to the case's largest reference magnitude) accepted; float32 gives ~1e-6. */
    public static final double TOLERANCE = 1e-3;

    private static final int[][] CASES = {
        // {input channels, filters, input size, kernel}
        {1, 20, 28, 5}, {20, 50, 12, 5}, {8, 16, 12, 5}, {16, 16, 12, 5}, {17, 16, 12, 5}, {24, 16, 12, 5},
        {31, 16, 12, 5}, {32, 16, 12, 5}, {50, 16, 8, 3},
    };

    private KernelCheck() {}

    /**
     * One case's result.
     *
     * @param inputChannels the convolution's input channels
     * @param filters its output channels
     * @param forwardError the forward pass's relative error
     * @param inputGradientError the input gradient's relative error
     * @param weightGradientError the weight gradient's relative error
     */
    public record Case(int inputChannels, int filters, double forwardError, double inputGradientError,
            double weightGradientError) {

        /**
         * Tells whether every error is within {@link #TOLERANCE} (NaN is not).
         *
         * @return whether the case passed
         */
        public boolean passed() {
            return forwardError <= TOLERANCE && inputGradientError <= TOLERANCE && weightGradientError <= TOLERANCE;
        }
    }

    /**
     * Runs every case on the CPU of the given engine.
     *
     * @param engine the engine (its kernels are the ones under test)
     * @return the cases' results
     */
    public static List<Case> run(Engine engine) {
        List<Case> out = new ArrayList<>();
        try (NDManager manager = engine.newBaseManager()) {
            for (int[] c : CASES) {
                try (NDManager scope = manager.newSubManager()) {
                    out.add(run(engine, scope, c[0], c[1], c[2], c[3]));
                }
            }
        }
        return out;
    }

    private static Case run(Engine engine, NDManager m, int channels, int filters, int size, int kernel) {
        engine.setRandomSeed(channels * 131 + filters);
        NDArray x = m.randomNormal(new Shape(4, channels, size, size));
        NDArray w = m.randomNormal(new Shape(filters, channels, kernel, kernel)).div(Math.sqrt(channels * kernel * kernel));
        NDArray b = m.randomNormal(new Shape(filters));
        NDArray upstream = m.randomNormal(new Shape(4, filters, size - kernel + 1, size - kernel + 1));
        NDArray[] single = convolve(engine, x, w, b, upstream);
        NDArray[] reference = convolve(engine, x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                b.toType(DataType.FLOAT64, true), upstream.toType(DataType.FLOAT64, true));
        return new Case(channels, filters, error(single[0], reference[0]), error(single[1], reference[1]),
                error(single[2], reference[2]));
    }

    /** Returns {output, d input, d weight} of sum(conv(x, w, b) * upstream). */
    private static NDArray[] convolve(Engine engine, NDArray x, NDArray w, NDArray b, NDArray upstream) {
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = engine.newGradientCollector()) {
            y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1)).singletonOrThrow();
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate()};
    }

    private static double error(NDArray single, NDArray reference) {
        NDArray diff = single.toType(DataType.FLOAT64, true).sub(reference).abs();
        double scale = reference.abs().max().getDouble();
        double worst = diff.max().getDouble();
        return Double.isFinite(worst) ? worst / Math.max(scale, 1e-12) : Double.NaN;
    }

    /**
     * Describes the kernel setting of this process.
     *
     * @return {@code "oneDNN ISA: default"} or {@code "oneDNN ISA: <cap>"} (from {@code ONEDNN_MAX_CPU_ISA})
     */
    public static String describeSetting() {
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
        String source = System.getenv("LAGRANGE4J_KERNELS");
        return "oneDNN ISA " + (cap == null || cap.isBlank() ? "default" : cap)
                + (source == null || source.isBlank() ? "" : " (" + source + ")");
    }

    /**
     * Runs the check with the default engine and prints one line per case and a verdict.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        List<Case> cases = run(Engine.getInstance());
        boolean ok = true;
        for (Case c : cases) {
            System.out.printf(Locale.ROOT, "conv2d %2d -> %2d channels: forward %.1e, d input %.1e, d weight %.1e %s%n",
                    c.inputChannels(), c.filters(), c.forwardError(), c.inputGradientError(),
                    c.weightGradientError(), c.passed() ? "ok" : "WRONG");
            ok &= c.passed();
        }
        System.out.println((ok ? "kernel check passed: " : "kernel check FAILED: ") + describeSetting());
        System.out.flush();
        System.exit(ok ? 0 : 3);
    }
}
