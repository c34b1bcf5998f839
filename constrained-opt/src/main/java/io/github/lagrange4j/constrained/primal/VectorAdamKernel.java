package io.github.lagrange4j.constrained.primal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Adam update of one float32 parameter in a single pass over its memory, with the CPU's widest SIMD
 * registers (the JDK's vector API, module {@code jdk.incubator.vector}).
 *
 * <p>Per element, in float arithmetic and in this order (the order of DJL's native {@code adamUpdate}, which
 * it replaces): {@code g <- rescale g + wd w} (each term only when it is not the identity); {@code m <- fma(g,
 * 1-b1, b1 m)}; {@code v <- b2 v + ((1-b2) g) g}; {@code w <- w - (step m) / (sqrt(v) + eps)}. The engine's
 * version runs about twelve separately dispatched kernels per parameter, each a pass over the parameter
 * (plus a copy of the gradient and a wrapped tensor for every scalar); this is one pass that reads {@code w, g,
 * m, v} and writes {@code w, m, v} (and, if asked, zeros into {@code g}, which the optimizer must do after every
 * update anyway).
 *
 * <p>Only {@link StatefulAdam} calls it, and only when {@link VectorApi#usable()} and the buffers of {@code w,
 * m, v} are the arrays' own memory ({@link io.github.lagrange4j.constrained.util.DirectMemory}): loading this
 * class without the module fails.
 */
final class VectorAdamKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorAdamKernel() {}

    /**
     * Returns the species' lane count (16 with AVX-512, 8 with AVX2).
     *
     * @return floats per vector
     */
    static int lanes() {
        return SPECIES.length();
    }

    /**
     * Applies the update in place.
     *
     * @param w the parameter's memory (native order), updated
     * @param g the gradient's memory, read only
     * @param m the first moment's memory, updated
     * @param v the second moment's memory, updated
     * @param n the number of floats
     * @param c the update's constants
     * @param zeroGradient whether to set the gradient to zero after reading it (then {@code g} must be the
     *     gradient's own memory)
     */
    static void update(ByteBuffer w, ByteBuffer g, ByteBuffer m, ByteBuffer v, int n, AdamConstants c,
            boolean zeroGradient) {
        update(w, m, v, 0, g, null, 0, n, c, zeroGradient, null);
    }

    /**
     * Applies the update to a parameter given its gradient by columns ({@link ColumnGradient}): row by row, the
     * row's gradient is spread into a scratch row that holds zeros in every other column, and the row updated
     * from it. Every element is updated, with gradient 0 outside the columns, by the same arithmetic as {@link
     * #update(ByteBuffer, ByteBuffer, ByteBuffer, ByteBuffer, int, AdamConstants, boolean) update} from the full
     * gradient.
     *
     * @param w the parameter's memory, {@code rows × cols} floats row by row, updated
     * @param values the columns' gradient, {@code rows × k} floats row by row, read only
     * @param columns the {@code k} columns, ascending
     * @param m the first moment's memory, updated
     * @param v the second moment's memory, updated
     * @param rows the parameter's rows
     * @param cols the parameter's columns
     * @param c the update's constants
     * @param dots null, or one float per column to which {@code Σ_r g_rk w_rk} (w before the update) is added
     */
    static void updateColumns(ByteBuffer w, ByteBuffer values, int[] columns, ByteBuffer m, ByteBuffer v, int rows,
            int cols, AdamConstants c, float[] dots) {
        int k = columns.length;
        float[] rowDots = dots == null ? null : new float[cols];
        if (k == cols) {
            // every column (ascending, so in order): the rows are read where they are
            for (int r = 0; r < rows; r++) {
                update(w, m, v, r * cols * Float.BYTES, values, null, r * cols * Float.BYTES, cols, c, false, rowDots);
            }
            if (dots != null) {
                for (int j = 0; j < k; j++) {
                    dots[j] += rowDots[j];
                }
            }
            return;
        }
        ByteBuffer all = values.duplicate().order(ByteOrder.nativeOrder());
        all.position(0);
        FloatBuffer gradient = all.asFloatBuffer();
        // every row has its non-zeros in the same k columns: the zeros written once stay zeros
        float[] row = new float[cols];
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(k);
        ByteOrder order = ByteOrder.nativeOrder();
        for (int r = 0; r < rows; r++) {
            // the row's k values scattered to their columns, a vector at a time
            int from = r * k * Float.BYTES;
            int i = 0;
            for (; i < bound; i += lanes) {
                FloatVector.fromByteBuffer(SPECIES, all, from + i * Float.BYTES, order).intoArray(row, 0, columns, i);
            }
            for (; i < k; i++) {
                row[columns[i]] = gradient.get(r * k + i);
            }
            updateFromRow(w, m, v, r * cols * Float.BYTES, row, cols, c, rowDots);
        }
        if (dots != null) {
            for (int j = 0; j < k; j++) {
                dots[j] += rowDots[columns[j]];
            }
        }
    }

    /**
     * The pass over one row of {@code n} floats from byte {@code at0} whose gradient is the array {@code g}
     * (a scattered row): the arithmetic of {@link #update(ByteBuffer, ByteBuffer, ByteBuffer, int, ByteBuffer,
     * float[], int, int, AdamConstants, boolean, float[]) update} without its branches (no rescaling, no
     * weight decay, no gradient to zero: a row runs here only then) but one, loop-invariant: the dots added to
     * {@code dots[0 … n)} when not null (a layer that forms them over its live columns asks for none). A loop of
     * its own: sharing the general pass's loop, whose every iteration tests the gradient's
     * source, the zeroing and the dots, took 1.1-1.2x the time of this one (a 300 × 784 weight, 198 columns
     * and their dots, in isolation: 196-217 against 166-197 us). The constants are unpacked here as in {@code
     * update} and passed to {@code step}: reading them from the record inside the step was 8-15% slower.
     */
    private static void updateFromRow(ByteBuffer w, ByteBuffer m, ByteBuffer v, int at0, float[] g, int n,
            AdamConstants c, float[] dots) {
        if (c.rescale() != 1f || c.weightDecay() != 0f) {
            update(w, m, v, at0, null, g, 0, n, c, false, dots);
            return;
        }
        ByteOrder order = ByteOrder.nativeOrder();
        float b1 = c.beta1();
        float b2 = c.beta2();
        float c2 = 1f - b2;
        float stepSize = c.stepSize();
        float eps = c.epsilon();
        FloatVector c1v = FloatVector.broadcast(SPECIES, 1f - b1);
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            int at = at0 + i * Float.BYTES;
            FloatVector wv = FloatVector.fromByteBuffer(SPECIES, w, at, order);
            FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
            if (dots != null) { // loop-invariant: the compiler makes a loop of each case
                gv.fma(wv, FloatVector.fromArray(SPECIES, dots, i)).intoArray(dots, i);
            }
            step(w, m, v, at, wv, gv, c1v, b1, b2, c2, stepSize, eps);
        }
        for (; i < n; i++) {
            int at = at0 + i * Float.BYTES;
            float wi = w.getFloat(at);
            float gi = g[i];
            if (dots != null) {
                dots[i] = Math.fma(gi, wi, dots[i]);
            }
            step(w, m, v, at, wi, gi, b1, b2, stepSize, eps);
        }
    }

    /**
     * The rule for one vector at byte {@code at}, given {@code w} and the pre-processed gradient: {@code m <-
     * fma(g, 1-b1, b1 m); v <- b2 v + ((1-b2) g) g; w <- w - (step m) / (sqrt(v) + eps)}. The constants come
     * unpacked ({@code c1v} = 1 - b1 broadcast, {@code c2} = 1 - b2) so that a loop computes them once.
     */
    private static void step(ByteBuffer w, ByteBuffer m, ByteBuffer v, int at, FloatVector wv, FloatVector gv,
            FloatVector c1v, float b1, float b2, float c2, float stepSize, float eps) {
        ByteOrder order = ByteOrder.nativeOrder();
        FloatVector mv = gv.fma(c1v, FloatVector.fromByteBuffer(SPECIES, m, at, order).mul(b1));
        FloatVector vv = FloatVector.fromByteBuffer(SPECIES, v, at, order).mul(b2).add(gv.mul(c2).mul(gv));
        mv.intoByteBuffer(m, at, order);
        vv.intoByteBuffer(v, at, order);
        wv.sub(mv.mul(stepSize).div(vv.sqrt().add(eps))).intoByteBuffer(w, at, order);
    }

    /**
     * The rule for one float at byte {@code at}, as {@link #step(ByteBuffer, ByteBuffer, ByteBuffer, int,
     * FloatVector, FloatVector, FloatVector, float, float, float, float, float) step} does it lane by lane.
     */
    private static void step(ByteBuffer w, ByteBuffer m, ByteBuffer v, int at, float wi, float gi, float b1,
            float b2, float stepSize, float eps) {
        float mi = Math.fma(gi, 1f - b1, m.getFloat(at) * b1);
        float vi = v.getFloat(at) * b2 + (gi * (1f - b2)) * gi;
        m.putFloat(at, mi);
        v.putFloat(at, vi);
        w.putFloat(at, wi - (mi * stepSize) / ((float) Math.sqrt(vi) + eps));
    }

    /**
     * The pass over {@code n} floats: {@code w, m, v} from byte {@code at0}; the gradient from byte {@code gAt0}
     * of {@code g}, or, when {@code g} is null, from float {@code gAt0} of {@code ga}.
     */
    private static void update(ByteBuffer w, ByteBuffer m, ByteBuffer v, int at0, ByteBuffer g, float[] ga,
            int gAt0, int n, AdamConstants c, boolean zeroGradient, float[] dots) {
        ByteOrder order = ByteOrder.nativeOrder();
        float b1 = c.beta1();
        float b2 = c.beta2();
        float c2 = 1f - b2;
        float stepSize = c.stepSize();
        float eps = c.epsilon();
        FloatVector c1v = FloatVector.broadcast(SPECIES, 1f - b1);
        float rescale = c.rescale();
        float wd = c.weightDecay();
        boolean scaled = rescale != 1f;
        boolean decayed = wd != 0f;
        FloatVector wdv = FloatVector.broadcast(SPECIES, wd);
        FloatVector zero = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            int at = at0 + i * Float.BYTES;
            int gAt = g == null ? gAt0 + i : gAt0 + i * Float.BYTES;
            FloatVector wv = FloatVector.fromByteBuffer(SPECIES, w, at, order);
            FloatVector gv = g == null ? FloatVector.fromArray(SPECIES, ga, gAt)
                    : FloatVector.fromByteBuffer(SPECIES, g, gAt, order);
            if (zeroGradient) {
                zero.intoByteBuffer(g, gAt, order);
            }
            if (dots != null) {
                gv.fma(wv, FloatVector.fromArray(SPECIES, dots, i)).intoArray(dots, i);
            }
            if (scaled) {
                gv = gv.mul(rescale);
            }
            if (decayed) {
                gv = wv.fma(wdv, gv);
            }
            step(w, m, v, at, wv, gv, c1v, b1, b2, c2, stepSize, eps);
        }
        for (; i < n; i++) {
            int at = at0 + i * Float.BYTES;
            int gAt = g == null ? gAt0 + i : gAt0 + i * Float.BYTES;
            float wi = w.getFloat(at);
            float gi = g == null ? ga[gAt] : g.getFloat(gAt);
            if (zeroGradient) {
                g.putFloat(gAt, 0f);
            }
            if (dots != null) {
                dots[i] = Math.fma(gi, wi, dots[i]);
            }
            if (scaled) {
                gi = gi * rescale;
            }
            if (decayed) {
                gi = Math.fma(wi, wd, gi);
            }
            step(w, m, v, at, wi, gi, b1, b2, stepSize, eps);
        }
    }
}
