package io.github.lagrange4j.constrained.primal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code Σ_r g_rj w_rj} per column {@code j} of two {@code (rows, k)} float32 arrays in one SIMD pass: for each
 * column the products are added row by row with a fused multiply-add, from 0, as {@link VectorAdamKernel}'s
 * passes add them on their way, so the sums are theirs bit for bit. Loaded only when {@link VectorApi#usable()}.
 */
final class VectorColumnDots {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorColumnDots() {}

    /**
     * Adds the column sums into {@code dots}.
     *
     * @param g the first array's memory (native order), {@code rows × k} floats row by row
     * @param w the second's, the same layout
     * @param rows the rows
     * @param dots {@code k} floats, added to
     */
    static void add(ByteBuffer g, ByteBuffer w, int rows, float[] dots) {
        int k = dots.length;
        float[] sums = new float[k];
        ByteOrder order = ByteOrder.nativeOrder();
        int bound = SPECIES.loopBound(k);
        for (int r = 0; r < rows; r++) {
            int row = r * k * Float.BYTES;
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                int at = row + j * Float.BYTES;
                FloatVector.fromByteBuffer(SPECIES, g, at, order)
                        .fma(FloatVector.fromByteBuffer(SPECIES, w, at, order), FloatVector.fromArray(SPECIES, sums, j))
                        .intoArray(sums, j);
            }
            for (; j < k; j++) {
                int at = row + j * Float.BYTES;
                sums[j] = Math.fma(g.getFloat(at), w.getFloat(at), sums[j]);
            }
        }
        for (int j = 0; j < k; j++) {
            dots[j] += sums[j];
        }
    }
}
