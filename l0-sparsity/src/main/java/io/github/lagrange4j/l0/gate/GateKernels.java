package io.github.lagrange4j.l0.gate;

/**
 * Whether this JVM can run {@link VectorGateKernel}: the module {@code jdk.incubator.vector} is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}, as the launcher and the tests do) and
 * the kernel runs and gives the scalar loop's bits on a few gates. Checked once.
 */
final class GateKernels {

    private static final boolean VECTOR = probe();

    private GateKernels() {}

    /**
     * Returns whether the vector kernel can run here.
     *
     * @return true if it can
     */
    static boolean vectorUsable() {
        return VECTOR;
    }

    private static boolean probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            int n = 67;
            float[] logAlpha = new float[n];
            float[] u = new float[n];
            for (int i = 0; i < n; i++) {
                logAlpha[i] = -3f + 6f * i / n;
                u[i] = (i + 0.5f) / n;
            }
            float[] z = new float[n];
            float[] slope = new float[n];
            int done = VectorGateKernel.sample(logAlpha, u, z, slope, 1.5f, 1.2f, -0.1f);
            float[] zScalar = new float[n];
            float[] slopeScalar = new float[n];
            HardConcrete.DEFAULT.sampleScalar(logAlpha, u, zScalar, slopeScalar, 0);
            for (int i = 0; i < done; i++) {
                // the same operations lane by lane: the same bits, or the kernel is not used
                if (Float.floatToIntBits(z[i]) != Float.floatToIntBits(zScalar[i])
                        || Float.floatToIntBits(slope[i]) != Float.floatToIntBits(slopeScalar[i])) {
                    return false;
                }
            }
            return done > 0;
        } catch (LinkageError e) {
            return false;
        }
    }
}
