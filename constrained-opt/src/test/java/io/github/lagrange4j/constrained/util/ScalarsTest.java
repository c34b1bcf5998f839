package io.github.lagrange4j.constrained.util;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Scalar arithmetic in differentiated code survives the garbage collector: the gradient through
 * {@link Scalars#mul} and {@link Scalars#div} stays exact after the JVM has collected and reused the memory
 * of freed direct buffers (filled with 99), which is what corrupts {@code x.mul(3f)} on DJL's PyTorch engine.
 */
class ScalarsTest {

    private static final int TRIALS = 20;

    /** Counts the trials whose gradient of sum(op(x)) at x = (1, 2) differs from the expected one. */
    static int wrongGradients(UnaryOperator<NDArray> op, float expected) throws InterruptedException {
        int wrong = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                NDArray x = m.create(new float[] {1f, 2f});
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = op.apply(x).sum();
                    System.gc();
                    Thread.sleep(20);
                    System.gc();
                    Thread.sleep(20);
                    List<ByteBuffer> reuse = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                        b.putFloat(0, 99f);
                        reuse.add(b);
                    }
                    collector.backward(y);
                    float[] g = x.getGradient().toFloatArray();
                    if (g[0] != expected || g[1] != expected) {
                        wrong++;
                    }
                    reuse.clear();
                }
            }
        }
        return wrong;
    }

    /**
     * Runs the probe (in a fresh JVM with glibc's malloc, see the test) and prints how many gradients each
     * way of multiplying by 3 got wrong.
     *
     * @param args unused
     */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("unsafe " + wrongGradients(x -> x.mul(3f), 3f));
        System.out.println("scalars " + (wrongGradients(x -> Scalars.mul(x, 3), 3f)
                + wrongGradients(x -> Scalars.div(x, 4), 0.25f) + wrongGradients(x -> ScalarArrays.of(x, 3).mul(x), 3f)));
    }

    @Test
    void gradientsThroughScalarsStayExactAfterTheCollectorReusedFreedBuffers() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, "-Dai.djl.offline=true", "-Dai.djl.default_engine=PyTorch",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ScalarsTest.class.getName())
                .redirectErrorStream(true);
        // glibc's malloc hands a freed buffer's memory back at once (jemalloc, preloaded where installed, rarely
        // does): the probe then shows the corruption that x.mul(3f) is exposed to
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("MALLOC_CONF");
        Process probe = builder.start();
        String out = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as(out).isZero();
        System.out.print(out.lines().filter(l -> l.startsWith("unsafe")).map(l -> "x.mul(3f): " + l.substring(7)
                + " of " + TRIALS + " gradients wrong after GC (DJL PyTorch's scalar constant)\n").findFirst().orElse(""));

        assertThat(out).as("Scalars.mul/div and ScalarArrays: wrong gradients of " + 3 * TRIALS).contains("scalars 0");
    }

    @Test
    void constantsKeepTheDataTypeAndFloat64Precision() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray d = m.create(new double[] {1});
            NDArray f = m.create(new float[] {1});
            NDArray i = m.create(new int[] {1});

            assertThat(Scalars.constant(d, 0.1).getDouble()).isEqualTo(0.1);
            assertThat(Scalars.constant(f, 0.1).getFloat()).isEqualTo(0.1f);
            assertThat(Scalars.constant(i, 7).getInt()).isEqualTo(7);
            assertThat(Scalars.constant(i, 7).getDataType()).isEqualTo(DataType.INT32);
            assertThat(Scalars.maximum(f, 3).getFloat()).isEqualTo(3f);
            assertThat(Scalars.minimum(f, 3).getFloat()).isEqualTo(1f);
            assertThat(Scalars.pow(d.add(1), 3).getDouble()).isEqualTo(8.0);
        }
    }
}
