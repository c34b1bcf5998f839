package io.github.lagrange4j.l0.gate;

/**
 * {@code exp} and {@code log} of a float32, from additions, multiplications and bit operations only (the
 * polynomials of the Cephes library's {@code expf} and {@code logf}, within about an ulp of the exact values):
 * the same bits in the interpreter, in compiled code and in {@link VectorGateKernel}'s vector form, which does
 * the same operations in the same order lane by lane.
 *
 * <p>Why not {@code Math.exp} or the vector API's {@code EXP}: the latter computes one way in compiled code
 * (the CPU's vector math library) and another before the method is compiled, so the gate samples of a run would
 * depend on when the JIT compiler got to them, and two runs with one seed would differ.
 */
final class FloatMath {

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    static final float ROUNDER = 12582912f;
    static final float EXP_MIN = -87f;
    static final float EXP_MAX = 88f;
    static final float SQRT_HALF = 0.707106781186547524f;

    static final float E1 = 1.9875691500e-4f;
    static final float E2 = 1.3981999507e-3f;
    static final float E3 = 8.3334519073e-3f;
    static final float E4 = 4.1665795894e-2f;
    static final float E5 = 1.6666665459e-1f;
    static final float E6 = 5.0000001201e-1f;

    static final float L1 = 7.0376836292e-2f;
    static final float L2 = -1.1514610310e-1f;
    static final float L3 = 1.1676998740e-1f;
    static final float L4 = -1.2420140846e-1f;
    static final float L5 = 1.4249322787e-1f;
    static final float L6 = -1.6668057665e-1f;
    static final float L7 = 2.0000714765e-1f;
    static final float L8 = -2.4999993993e-1f;
    static final float L9 = 3.3333331174e-1f;

    private FloatMath() {}

    /**
     * {@code e^x} for {@code x} clamped to {@code [-87, 88]}.
     *
     * @param x the exponent
     * @return e^x in float32
     */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float n = (x * LOG2E + ROUNDER) - ROUNDER;
        float r = x - n * LN2_HI - n * LN2_LO;
        float rr = r * r;
        float p = (((((E1 * r + E2) * r + E3) * r + E4) * r + E5) * r + E6) * rr + r + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /**
     * {@code log x} for a positive normal {@code x}.
     *
     * @param x the argument
     * @return the natural logarithm in float32
     */
    static float log(float x) {
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 126);
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000); // in [0.5, 1)
        if (m < SQRT_HALF) {
            e = e - 1f;
            m = m + m - 1f;
        } else {
            m = m - 1f;
        }
        float z = m * m;
        float y = ((((((((L1 * m + L2) * m + L3) * m + L4) * m + L5) * m + L6) * m + L7) * m + L8) * m + L9) * m * z;
        y = y + e * LN2_LO;
        y = y - 0.5f * z;
        return m + y + e * LN2_HI;
    }
}
