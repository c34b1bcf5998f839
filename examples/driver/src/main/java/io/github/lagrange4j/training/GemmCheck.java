package io.github.lagrange4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A self-check of the engine's float32 matrix products (the GEMMs of every dense layer): for each case, the three
 * products of a dense layer's training step, {@code y = x wᵀ}, {@code ∂w = gᵀ x} and {@code ∂x = g w}, against the
 * same products summed in double precision in Java; then the time of a round of the paper MLP's products.
 *
 * <p>Why: PyTorch's CPU build does its float32 GEMMs with Intel's oneMKL, linked into the native library. oneMKL
 * chooses its code path by the CPU, and on a CPU that is not Intel's it takes a path without AVX-512 whatever the
 * CPU offers (seen on an AMD EPYC with AVX-512: a {@code (128 x 300) x (300 x 100)} product at the speed of 256-bit
 * vectors). oneMKL asks one exported function whether the CPU is Intel's; the {@code lagrange4j} launcher can
 * build a one-function library that answers yes ({@code scripts/mkl-dispatch/intel-dispatch.c}) and preload it.
 * oneMKL then chooses among its code paths by the CPU's instruction sets. Whether that is right and faster on a
 * given CPU is this check's question: the launcher runs it in a short child JVM without and with the library and
 * keeps the library only when its products are right and faster ({@code scripts/mkl-dispatch.sh}).
 * {@link #main} prints one line per case and the round's time, and exits 0 if every product agrees, 3 if one
 * does not.
 *
 * <p>The tests' JVM wrapper ({@code scripts/test-jvm/bin/java}) runs this source file directly with Java's
 * single-file launcher, before its module may be built: it must stay one file that needs nothing but DJL.
 */
public final class GemmCheck {

    /**
     * The largest error accepted, relative to the largest magnitude of the reference product; float32 sums of a
     * few hundred terms give ~1e-7 to 1e-6.
     */
    public static final double TOLERANCE = 1e-4;

    /** {rows of x (batch), units (rows of w), features (columns of x and w)}: the paper MLP's, odd ones, LeNet's. */
    private static final int[][] CASES = {
        {128, 300, 784}, {128, 300, 183}, {128, 241, 183}, {128, 100, 300}, {128, 100, 241}, {128, 10, 100},
        {100, 300, 784}, {1000, 300, 784}, {128, 500, 800}, {33, 17, 29}, {7, 3, 1}, {1, 16, 16},
    };

    /** The products timed: a training step of the paper MLP at its budget (batch 128). */
    private static final int[][] ROUND = {{128, 300, 183}, {128, 100, 300}, {128, 10, 100}};

    private GemmCheck() {}

    /**
     * One case's result: the largest relative error of each product.
     *
     * @param batch the rows of x
     * @param units the rows of w
     * @param features the columns of x and w
     * @param forwardError {@code x wᵀ}'s error
     * @param weightGradientError {@code gᵀ x}'s error
     * @param inputGradientError {@code g w}'s error
     */
    public record Case(int batch, int units, int features, double forwardError, double weightGradientError,
            double inputGradientError) {

        /**
         * Tells whether every error is within {@link #TOLERANCE} (NaN is not).
         *
         * @return whether the case passed
         */
        public boolean passed() {
            return forwardError <= TOLERANCE && weightGradientError <= TOLERANCE && inputGradientError <= TOLERANCE;
        }
    }

    /**
     * Runs every case on the given engine's default device.
     *
     * @param engine the engine (its GEMMs are the ones under test)
     * @return the cases' results
     */
    public static List<Case> run(Engine engine) {
        List<Case> out = new ArrayList<>();
        Random random = new Random(17);
        try (NDManager manager = engine.newBaseManager()) {
            for (int[] c : CASES) {
                try (NDManager scope = manager.newSubManager()) {
                    out.add(run(scope, random, c[0], c[1], c[2]));
                }
            }
        }
        return out;
    }

    private static Case run(NDManager m, Random random, int batch, int units, int features) {
        float[] x = uniform(random, batch * features);
        float[] w = uniform(random, units * features);
        float[] g = uniform(random, batch * units);
        NDArray xa = engineArray(m, x, new Shape(batch, features));
        NDArray wa = engineArray(m, w, new Shape(units, features));
        NDArray ga = engineArray(m, g, new Shape(batch, units));
        float[] y = xa.matMul(wa.transpose()).toFloatArray();
        float[] dw = ga.transpose().matMul(xa).toFloatArray();
        float[] dx = ga.matMul(wa).toFloatArray();
        // the references: y[b][u] = Σ_f x[b][f] w[u][f], dw[u][f] = Σ_b g[b][u] x[b][f], dx[b][f] = Σ_u g[b][u] w[u][f]
        double[] yRef = new double[batch * units];
        double[] dwRef = new double[units * features];
        double[] dxRef = new double[batch * features];
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                double sum = 0;
                double gbu = g[b * units + u];
                for (int f = 0; f < features; f++) {
                    double xbf = x[b * features + f];
                    double wuf = w[u * features + f];
                    sum += xbf * wuf;
                    dwRef[u * features + f] += gbu * xbf;
                    dxRef[b * features + f] += gbu * wuf;
                }
                yRef[b * units + u] = sum;
            }
        }
        return new Case(batch, units, features, error(y, yRef), error(dw, dwRef), error(dx, dxRef));
    }

    /** The values as an array in the engine's own memory, as a layer's inputs and weights are. */
    private static NDArray engineArray(NDManager m, float[] values, Shape shape) {
        try (NDArray wrapped = m.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    private static float[] uniform(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** The largest difference relative to the reference's largest magnitude; NaN if any value is not finite. */
    static double error(float[] single, double[] reference) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < single.length; i++) {
            double d = Math.abs(single[i] - reference[i]);
            if (!Double.isFinite(d)) {
                return Double.NaN;
            }
            worst = Math.max(worst, d);
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return worst / Math.max(scale, 1e-12);
    }

    /**
     * Times rounds of the paper MLP's products at its budget (each product of {@link #ROUND}: forward, weight
     * gradient, input gradient) for about {@code seconds} after a warm-up, and returns the median round.
     *
     * @param engine the engine
     * @param seconds how long to time, {@code > 0}
     * @return the median round's microseconds
     */
    public static double roundMicros(Engine engine, double seconds) {
        Random random = new Random(3);
        try (NDManager m = engine.newBaseManager()) {
            int n = ROUND.length;
            NDArray[] x = new NDArray[n];
            NDArray[] w = new NDArray[n];
            NDArray[] g = new NDArray[n];
            for (int i = 0; i < n; i++) {
                int[] c = ROUND[i];
                x[i] = engineArray(m, uniform(random, c[0] * c[2]), new Shape(c[0], c[2]));
                w[i] = engineArray(m, uniform(random, c[1] * c[2]), new Shape(c[1], c[2]));
                g[i] = engineArray(m, uniform(random, c[0] * c[1]), new Shape(c[0], c[1]));
            }
            List<Double> rounds = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            for (int k = 0; k < 50 || System.nanoTime() < end; k++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    // every result freed at once, so that the allocator reuses its memory as in training (results
                    // left alive made every round write to new memory: rounds 3-4 times slower here)
                    NDArray wt = w[i].transpose();
                    NDArray gt = g[i].transpose();
                    for (NDArray result : new NDArray[] {x[i].matMul(wt), gt.matMul(x[i]), g[i].matMul(w[i]), wt, gt}) {
                        result.close();
                    }
                }
                if (k >= 20) {
                    rounds.add((System.nanoTime() - start) / 1e3);
                }
            }
            rounds.sort(null);
            return rounds.get(rounds.size() / 2);
        }
    }

    /**
     * Describes the GEMM setting of this process, as the launcher chose it ({@code LAGRANGE4J_GEMM}).
     *
     * @return e.g. {@code "GEMM: oneMKL, its dispatch for Intel CPUs (chosen by the GEMM check)"}
     */
    public static String describeSetting() {
        String gemm = System.getenv("LAGRANGE4J_GEMM");
        return "GEMM: " + (gemm == null || gemm.isBlank() ? "the engine's own (no GEMM check)" : gemm);
    }

    /**
     * Runs the check with the default engine: one line per case, a verdict, and {@code round <µs> us} (the median
     * round of the paper MLP's products).
     *
     * @param args nothing
     */
    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: GemmCheck");
            System.exit(2);
        }
        Engine engine = Engine.getInstance();
        boolean ok = true;
        for (Case c : run(engine)) {
            System.out.printf(Locale.ROOT, "gemm %4d x %3d x %3d: forward %.1e, d weight %.1e, d input %.1e %s%n",
                    c.batch(), c.units(), c.features(), c.forwardError(), c.weightGradientError(),
                    c.inputGradientError(), c.passed() ? "ok" : "WRONG");
            ok &= c.passed();
        }
        System.out.printf(Locale.ROOT, "round %.1f us%n", roundMicros(engine, 0.5));
        System.out.println((ok ? "gemm check passed" : "gemm check FAILED") + " (LD_PRELOAD "
                + System.getenv().getOrDefault("LD_PRELOAD", "unset") + ")");
        System.out.flush();
        System.exit(ok ? 0 : 3);
    }
}
