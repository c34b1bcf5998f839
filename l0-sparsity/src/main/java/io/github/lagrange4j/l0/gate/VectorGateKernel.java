package io.github.lagrange4j.l0.gate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The closed-form gate computations of {@link HardConcrete} with the CPU's widest SIMD registers (the JDK's
 * vector API, module {@code jdk.incubator.vector}): lane by lane the float32 operations of the scalar loops, with
 * {@link FloatMath}'s {@code exp} and {@code log} (not the vector API's {@code EXP}/{@code LOG}, whose results
 * depend on whether the JIT compiler has compiled the loop yet), so that the vector and scalar paths give the
 * same bits and a seeded run the same samples. Once compiled, about 8 µs for the sample of the paper MLP's 1,184
 * gates and 5.5 µs for their expected density (measured 2026-12-03; JDK 17 compiles the float-to-int
 * conversion of {@code exp} less well than the rest).
 *
 * <p>Only {@link HardConcrete} calls it, and only when {@link GateKernels#vectorUsable()}: loading this class
 * without the module fails.
 */
final class VectorGateKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorGateKernel() {}

    /**
     * Returns the species' lane count (16 with AVX-512, 8 with AVX2).
     *
     * @return floats per vector
     */
    static int lanes() {
        return SPECIES.length();
    }

    /**
     * Samples from noise with slopes, as {@link HardConcrete#sampleFromNoise(float[], float[], float[], float[])}
     * does element by element; returns the index of the first element left to the scalar loop.
     */
    static int sample(float[] logAlpha, float[] u, float[] z, float[] slope, float inverseBeta, float stretch,
            float lower) {
        int bound = SPECIES.loopBound(logAlpha.length);
        float slopeScale = stretch * inverseBeta;
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            FloatVector noise = FloatVector.fromArray(SPECIES, u, j);
            FloatVector logit = log(noise).sub(log(noise.neg().add(1f)));
            FloatVector t = logit.add(FloatVector.fromArray(SPECIES, logAlpha, j)).mul(inverseBeta);
            FloatVector s = FloatVector.broadcast(SPECIES, 1f).div(exp(t.neg()).add(1f));
            FloatVector x = s.mul(stretch).add(lower);
            VectorMask<Float> inside = x.compare(VectorOperators.GE, 0f).and(x.compare(VectorOperators.LE, 1f));
            x.max(0f).min(1f).intoArray(z, j);
            FloatVector.zero(SPECIES).blend(s.mul(s.neg().add(1f)).mul(slopeScale), inside).intoArray(slope, j);
        }
        return j;
    }

    /**
     * The clamped probabilities of non-zero gates and the weighted slopes, as {@link
     * HardConcrete#weightedProbabilityNonZero} computes them element by element, over {@code [0, end)}; returns
     * {@code end}, the index of the first element left to the scalar loop.
     */
    static int probabilities(float[] logAlpha, float[] weights, float[] clamped, float[] slope, float shift,
            float low, float high) {
        int bound = SPECIES.loopBound(logAlpha.length);
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, j);
            FloatVector p = FloatVector.broadcast(SPECIES, 1f).div(
                    exp(FloatVector.fromArray(SPECIES, logAlpha, j).add(shift).neg()).add(1f));
            VectorMask<Float> inside = p.compare(VectorOperators.GE, low).and(p.compare(VectorOperators.LE, high));
            FloatVector.zero(SPECIES).blend(w.mul(p.mul(p.neg().add(1f))), inside).intoArray(slope, j);
            p.max(low).min(high).intoArray(clamped, j);
        }
        return j;
    }

    /** The bits of {@link FloatMath#ROUNDER}, 1.5·2²³. */
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(FloatMath.ROUNDER);

    /** {@link FloatMath#exp}, lane by lane. */
    static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(FloatMath.EXP_MIN).min(FloatMath.EXP_MAX);
        FloatVector shifted = x.mul(FloatMath.LOG2E).add(FloatMath.ROUNDER);
        FloatVector n = shifted.sub(FloatMath.ROUNDER);
        FloatVector r = x.sub(n.mul(FloatMath.LN2_HI)).sub(n.mul(FloatMath.LN2_LO));
        FloatVector rr = r.mul(r);
        FloatVector p = r.mul(FloatMath.E1).add(FloatMath.E2).mul(r).add(FloatMath.E3).mul(r).add(FloatMath.E4)
                .mul(r).add(FloatMath.E5).mul(r).add(FloatMath.E6).mul(rr).add(r).add(1f);
        // n as an int from the bits of n + 1.5·2²³ (whose last mantissa bits hold n), the same int as the
        // F2I conversion: Java 17's compiler does not turn that conversion into an instruction, and its
        // fallback (an object per lane) made this function slower the longer it ran (4 to 44 us a call on
        // 1,184 gates)
        IntVector exponent = shifted.reinterpretAsInts().sub(ROUNDER_BITS);
        return p.mul(exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    /** {@link FloatMath#log}, lane by lane. */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0);
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> small = m.compare(VectorOperators.LT, FloatMath.SQRT_HALF);
        e = e.blend(e.sub(1f), small);
        m = m.sub(1f).blend(m.add(m).sub(1f), small);
        FloatVector z = m.mul(m);
        FloatVector y = m.mul(FloatMath.L1).add(FloatMath.L2).mul(m).add(FloatMath.L3).mul(m).add(FloatMath.L4)
                .mul(m).add(FloatMath.L5).mul(m).add(FloatMath.L6).mul(m).add(FloatMath.L7).mul(m).add(FloatMath.L8)
                .mul(m).add(FloatMath.L9).mul(m).mul(z);
        y = y.add(e.mul(FloatMath.LN2_LO));
        y = y.sub(z.mul(0.5f));
        return m.add(y).add(e.mul(FloatMath.LN2_HI));
    }
}
