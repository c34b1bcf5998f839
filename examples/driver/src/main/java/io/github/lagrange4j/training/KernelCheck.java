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
 * <p>On some CPUs the fast kernels are wrong only for channel counts that are not a multiple of their vector
 * block (an AMD EPYC: every unaligned count, with AVX-512 and AVX2 alike). {@code --align 16} checks the counts
 * that convolutions aligned to 16 channels see ({@link #run(Engine, int)}); when oneDNN's default kernels pass
 * it, the launcher keeps them and aligns the project's convolutions ({@code LAGRANGE4J_CONV_ALIGNMENT}), three
 * to five times faster than the SSE4.1 kernels on LeNet-5's layers. {@code --channels-last} checks the plain
 * counts computed in the channels-last layout ({@code io.github.lagrange4j.l0.nn.ChannelsLast}: oneDNN's NHWC
 * kernels), which the launcher tries before the aligned counts and, when they pass, selects with {@code
 * LAGRANGE4J_CONV_LAYOUT=channels-last}: on that AMD EPYC they are right for every count, and LeNet-5 trains
 * about a fifth faster than aligned.
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
        return run(engine, 1);
    }

    /**
     * Runs every case on the CPU of the given engine, with the channel counts the convolutions of a process
     * aligned to {@code alignment} see: input channels {@code C ≥ a} rounded up to a multiple of {@code a}, output
     * channels always (the rule of {@code io.github.lagrange4j.l0.nn.ChannelAlignment}, repeated here because this
     * file must need nothing but DJL). Alignment 1 is the plain cases.
     *
     * @param engine the engine (its kernels are the ones under test)
     * @param alignment the channel alignment, {@code ≥ 1}
     * @return the cases' results
     */
    public static List<Case> run(Engine engine, int alignment) {
        return run(engine, alignment, false);
    }

    /**
     * Runs every case with the given alignment, or in the channels-last layout: the input laid out NHWC (a
     * 1-channel input given a second, zero channel, since PyTorch reads a 1-channel array as NCHW), the rule of
     * {@code io.github.lagrange4j.l0.nn.ChannelsLast}, repeated here for the same reason as the alignment's.
     *
     * @param engine the engine (its kernels are the ones under test)
     * @param alignment the channel alignment, {@code ≥ 1}
     * @param channelsLast whether the float32 convolutions run channels-last
     * @return the cases' results
     */
    public static List<Case> run(Engine engine, int alignment, boolean channelsLast) {
        if (alignment < 1) {
            throw new IllegalArgumentException("alignment must be >= 1, got " + alignment);
        }
        List<Case> out = new ArrayList<>();
        try (NDManager manager = engine.newBaseManager()) {
            for (int[] c : CASES) {
                int channels = c[0] < alignment ? c[0] : roundUp(c[0], alignment);
                try (NDManager scope = manager.newSubManager()) {
                    out.add(run(engine, scope, channels, roundUp(c[1], alignment), c[2], c[3], channelsLast));
                }
            }
        }
        return out;
    }

    private static int roundUp(int n, int alignment) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static Case run(
            Engine engine, NDManager m, int channels, int filters, int size, int kernel, boolean channelsLast) {
        engine.setRandomSeed(channels * 131 + filters);
        NDArray x = m.randomNormal(new Shape(4, channels, size, size));
        NDArray w = m.randomNormal(new Shape(filters, channels, kernel, kernel)).div(Math.sqrt(channels * kernel * kernel));
        NDArray b = m.randomNormal(new Shape(filters));
        NDArray upstream = m.randomNormal(new Shape(4, filters, size - kernel + 1, size - kernel + 1));
        NDArray[] single = convolve(engine, x, w, b, upstream, channelsLast);
        NDArray[] reference = convolve(engine, x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                b.toType(DataType.FLOAT64, true), upstream.toType(DataType.FLOAT64, true), false);
        return new Case(channels, filters, error(single[0], reference[0]), error(single[1], reference[1]),
                error(single[2], reference[2]));
    }

    /** Returns {output, d input, d weight} of sum(conv(x, w, b) * upstream). */
    private static NDArray[] convolve(
            Engine engine, NDArray x, NDArray w, NDArray b, NDArray upstream, boolean channelsLast) {
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray input = x;
            NDArray weight = w;
            if (channelsLast) {
                Shape s = x.getShape();
                long n = s.get(0);
                if (s.get(1) == 1) {
                    NDArray pixels = x.reshape(n, s.get(2), s.get(3), 1);
                    input = pixels.concat(pixels.zerosLike(), 3).transpose(0, 3, 1, 2);
                    weight = w.concat(w.zerosLike(), 1);
                } else {
                    input = x.transpose(0, 2, 3, 1).reshape(n, -1).reshape(n, s.get(2), s.get(3), s.get(1))
                            .transpose(0, 3, 1, 2);
                }
            }
            y = Conv2d.conv2d(input, weight, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1)).singletonOrThrow();
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
     * @return {@code "oneDNN ISA default"} or {@code "oneDNN ISA <cap>"} (from {@code ONEDNN_MAX_CPU_ISA}), with the
     *     channels-last layout ({@code LAGRANGE4J_CONV_LAYOUT}) when chosen, else the channel alignment ({@code
     *     LAGRANGE4J_CONV_ALIGNMENT}) when it is above 1
     */
    public static String describeSetting() {
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
        String source = System.getenv("LAGRANGE4J_KERNELS");
        String alignment = System.getenv("LAGRANGE4J_CONV_ALIGNMENT");
        String layout = System.getenv("LAGRANGE4J_CONV_LAYOUT");
        boolean channelsLast = layout != null && layout.trim().equalsIgnoreCase("channels-last");
        return "oneDNN ISA " + (cap == null || cap.isBlank() ? "default" : cap)
                + (channelsLast ? ", convolutions channels-last"
                        : alignment == null || alignment.isBlank() || alignment.trim().equals("1")
                        ? "" : ", convolution channels aligned to " + alignment.trim())
                + (source == null || source.isBlank() ? "" : " (" + source + ")");
    }

    /**
     * Runs the check with the default engine and prints one line per case and a verdict.
     *
     * @param args nothing, {@code --align N} to check the channel counts a convolution aligned to {@code N}
     *     sees, or {@code --channels-last} to check the plain counts in the channels-last layout
     */
    public static void main(String[] args) {
        int alignment = 1;
        boolean channelsLast = false;
        if (args.length == 2 && args[0].equals("--align")) {
            alignment = Integer.parseInt(args[1]);
        } else if (args.length == 1 && args[0].equals("--channels-last")) {
            channelsLast = true;
        } else if (args.length != 0) {
            System.err.println("usage: KernelCheck [--align N | --channels-last]");
            System.exit(2);
        }
        List<Case> cases = run(Engine.getInstance(), alignment, channelsLast);
        boolean ok = true;
        for (Case c : cases) {
            System.out.printf(Locale.ROOT, "conv2d %2d -> %2d channels: forward %.1e, d input %.1e, d weight %.1e %s%n",
                    c.inputChannels(), c.filters(), c.forwardError(), c.inputGradientError(),
                    c.weightGradientError(), c.passed() ? "ok" : "WRONG");
            ok &= c.passed();
        }
        System.out.println((ok ? "kernel check passed: " : "kernel check FAILED: ") + describeSetting()
                + (alignment > 1 ? ", channels aligned to " + alignment : "")
                + (channelsLast ? ", channels-last" : ""));
        System.out.flush();
        System.exit(ok ? 0 : 3);
    }
}
