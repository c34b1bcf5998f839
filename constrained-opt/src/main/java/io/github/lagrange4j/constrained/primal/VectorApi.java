package io.github.lagrange4j.constrained.primal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether this JVM can run {@link VectorAdamKernel}: the module {@code jdk.incubator.vector} is in the boot
 * layer (the JVM was started with {@code --add-modules jdk.incubator.vector}, as the launcher and the tests
 * do) and the kernel links against it (its {@code ByteBuffer} loads exist in JDK 16-19; later JDKs replaced
 * them). Checked once, by running the kernel on a few floats.
 */
final class VectorApi {

    private static final boolean USABLE = probe();

    private VectorApi() {}

    /**
     * Returns whether the single-pass kernel can run here.
     *
     * @return true if it can
     */
    static boolean usable() {
        return USABLE;
    }

    /**
     * Returns the kernel's vector width in floats; only when {@link #usable()}.
     *
     * @return floats per vector
     */
    static int lanes() {
        return VectorAdamKernel.lanes();
    }

    private static boolean probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            int n = 4 * VectorAdamKernel.lanes() + 3;
            ByteBuffer[] b = new ByteBuffer[4];
            for (int i = 0; i < b.length; i++) {
                b[i] = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder());
            }
            for (int i = 0; i < n; i++) {
                b[0].putFloat(i * Float.BYTES, 1f);
                b[1].putFloat(i * Float.BYTES, 0.5f);
            }
            VectorAdamKernel.update(b[0], b[1], b[2], b[3], n, new AdamConstants(0.9f, 0.999f, 0.1f, 0f, 1f, 0f), true);
            // first step with eps = 0: m = 0.05, v = 0.00025, w = 1 - 0.1 * 0.05 / sqrt(0.00025)
            float expected = (float) (1 - 0.1 * 0.05 / Math.sqrt(0.00025));
            for (int i = 0; i < n; i++) {
                int at = i * Float.BYTES;
                if (Math.abs(b[0].getFloat(at) - expected) > 1e-5f || b[1].getFloat(at) != 0f) {
                    return false;
                }
            }
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }
}
