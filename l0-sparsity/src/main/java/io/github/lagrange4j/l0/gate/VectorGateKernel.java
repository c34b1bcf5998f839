package io.github.lagrange4j.l0.gate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The closed-form gate computations of {@link HardConcrete} with the CPU's widest SIMD registers (the JDK's
 * vector API, module {@code jdk.incubator.vector}): the same float32 steps as the scalar loops, with the
 * vector API's {@code log} and {@code exp} (within an ulp or two of the correctly rounded values, as the
 * engine's own vectorised functions are). About 1.5 µs for the 1,184 gates of the paper MLP, against 40-50 µs
 * for the scalar loop (whose {@code Math.log} and {@code Math.exp} are not vectorised).
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
            FloatVector logit = noise.lanewise(VectorOperators.LOG)
                    .sub(noise.neg().add(1f).lanewise(VectorOperators.LOG));
            FloatVector t = logit.add(FloatVector.fromArray(SPECIES, logAlpha, j)).mul(inverseBeta);
            FloatVector s = FloatVector.broadcast(SPECIES, 1f).div(t.neg().lanewise(VectorOperators.EXP).add(1f));
            FloatVector x = s.mul(stretch).add(lower);
            VectorMask<Float> inside = x.compare(VectorOperators.GE, 0f).and(x.compare(VectorOperators.LE, 1f));
            x.max(0f).min(1f).intoArray(z, j);
            FloatVector.zero(SPECIES).blend(s.mul(s.neg().add(1f)).mul(slopeScale), inside).intoArray(slope, j);
        }
        return j;
    }

    /**
     * The weighted probabilities of non-zero gates with slopes, as {@link HardConcrete#weightedProbabilityNonZero}
     * does element by element, over {@code [0, end)}; adds the weighted sum into {@code sum[0]} and returns
     * {@code end}, the index of the first element left to the scalar loop.
     */
    static int weightedProbability(float[] logAlpha, float[] weights, float[] slope, float shift, float low,
            float high, double[] sum) {
        int bound = SPECIES.loopBound(logAlpha.length);
        FloatVector acc = FloatVector.zero(SPECIES);
        double total = 0;
        int j = 0;
        for (; j < bound; j += SPECIES.length()) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, j);
            FloatVector p = FloatVector.broadcast(SPECIES, 1f).div(
                    FloatVector.fromArray(SPECIES, logAlpha, j).add(shift).neg().lanewise(VectorOperators.EXP).add(1f));
            VectorMask<Float> inside = p.compare(VectorOperators.GE, low).and(p.compare(VectorOperators.LE, high));
            FloatVector.zero(SPECIES).blend(w.mul(p.mul(p.neg().add(1f))), inside).intoArray(slope, j);
            // the sum in double, vector by vector: the float lanes hold at most a few products each
            total += w.mul(p.max(low).min(high)).reduceLanes(VectorOperators.ADD);
        }
        sum[0] += total;
        return j;
    }
}
