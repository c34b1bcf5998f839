package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.lagrange4j.constrained.util.SharedConstants;

/**
 * The hard-concrete distribution of an L0 gate: a binary-concrete variable with temperature β,
 * stretched to {@code (γ, ζ)} and clamped to {@code [0, 1]} (Louizos, Welling and Kingma, ICLR 2018,
 * Section 4).
 *
 * <p>Formulas, with {@code u ~ Uniform(ε_u, 1 − ε_u)} and {@code ε_u = 1e-6}:
 *
 * <pre>
 *   s = sigmoid((log u − log(1 − u) + log α) / β)
 *   z = clamp(s (ζ − γ) + γ, 0, 1)                                   (training sample)
 *   P(z ≠ 0) = clamp(sigmoid(log α − β log(−γ / ζ)), 1e-6, 1 − 1e-6)  (closed form)
 *   ẑ = clamp(sigmoid(log α) (ζ − γ) + γ, 0, 1)                       (Eq. 13)
 *   ẑ = clamp(sigmoid(log α / β) (ζ − γ) + γ, 0, 1)                   (median)
 * </pre>
 *
 * <p>Defaults: β = 2/3, γ = −0.1, ζ = 1.1 ({@link #DEFAULT}). Every array method takes the manager
 * that must own its result: the result and all intermediates land there, never in the manager of
 * {@code logAlpha} (a parameter's). The caller owns and closes that manager. Samples draw their noise
 * from {@link NDManager#randomUniform}, so {@code Engine.getInstance().setRandomSeed(s)} makes them
 * reproducible.
 *
 * @param beta the temperature β, in {@code (0, ∞)}
 * @param gamma the lower stretch limit γ, negative
 * @param zeta the upper stretch limit ζ, greater than 1
 */
public record HardConcrete(double beta, double gamma, double zeta) {

    /** The noise clamp ε_u: u is drawn from {@code Uniform(ε_u, 1 − ε_u)}. */
    public static final double NOISE_EPSILON = 1e-6;

    /** The clamp applied to {@code P(z ≠ 0)}: {@code [1e-6, 1 − 1e-6]}. */
    public static final double PROBABILITY_EPSILON = 1e-6;

    /** The reference constants β = 2/3, γ = −0.1, ζ = 1.1. */
    public static final HardConcrete DEFAULT = new HardConcrete(2.0 / 3.0, -0.1, 1.1);

    /** Validates the constants. */
    public HardConcrete {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException(
                    "beta (temperature) must be finite and > 0, got " + beta);
        }
        if (!(gamma < 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and < 0, got " + gamma);
        }
        if (!(zeta > 1) || Double.isInfinite(zeta)) {
            throw new IllegalArgumentException("zeta must be finite and > 1, got " + zeta);
        }
    }

    /**
     * Returns the shift {@code −β log(−γ / ζ)} in {@code P(z ≠ 0) = sigmoid(log α + shift)}; 1.5986
     * with the default constants.
     *
     * @return the shift of log α in the probability of a non-zero gate
     */
    public double probabilityShift() {
        return -beta * Math.log(-gamma / zeta);
    }

    /**
     * Draws a training-time gate sample of the given shape; {@code logAlpha} broadcasts against it
     * (shape {@code logAlpha.getShape()} for one gate vector per batch, {@code (batch, gates)} for one
     * per example). Differentiable in {@code logAlpha}; the gradient is 0 where the sample is clamped.
     *
     * @param logAlpha the gate parameters log α
     * @param manager the manager that owns the result and the noise
     * @param shape the shape of the sample
     * @return z in {@code [0, 1]}, owned by {@code manager}
     */
    public NDArray sample(NDArray logAlpha, NDManager manager, Shape shape) {
        return sampleFromNoise(logAlpha, noise(manager, shape, logAlpha.getDataType()));
    }

    /**
     * Draws the uniform noise {@code u ~ Uniform(ε_u, 1 − ε_u)} of a sample, from the engine's random stream
     * ({@link #sample} is {@code sampleFromNoise(logAlpha, noise(manager, shape, logAlpha.getDataType()))}).
     *
     * @param manager the manager that owns the noise
     * @param shape the shape of the sample
     * @param type the data type (that of log α)
     * @return u, owned by {@code manager}
     */
    public NDArray noise(NDManager manager, Shape shape, DataType type) {
        return manager.randomUniform((float) NOISE_EPSILON, (float) (1 - NOISE_EPSILON), shape, type);
    }

    /**
     * Turns drawn noise into a gate sample: the same sample for the same {@code u} and log α, whichever
     * device computes it (the shards of a data-parallel step share one {@code u}). Differentiable in
     * {@code logAlpha}; intermediates and the result land in the manager of {@code u}.
     *
     * @param logAlpha the gate parameters log α, on the device of {@code u}
     * @param u noise from {@link #noise}, broadcasting against {@code logAlpha}
     * @return z in {@code [0, 1]}
     */
    public NDArray sampleFromNoise(NDArray logAlpha, NDArray u) {
        NDArray logit = u.log().sub(u.neg().add(SharedConstants.of(u, 1)).log());
        NDArray s = Activation.sigmoid(logit.add(logAlpha).div(SharedConstants.of(logit, beta)));
        return stretchAndClamp(s);
    }

    /**
     * Turns drawn noise into gate samples and their derivatives in log α, in Java: the numbers {@link
     * #sampleFromNoise} computes on the engine, step by step in float32 (the division by β as a multiplication
     * by the float32 reciprocal, as the engine divides by a scalar), with {@code log} and {@code exp} from additions,
     * multiplications and bit operations only ({@code FloatMath}, within about an ulp), in SIMD registers where the
     * JDK's vector API is available and element by element otherwise, with the same bits either way and whenever
     * the JIT compiler gets to the loop: a value may differ from the engine's in the last place or two. The chain
     * rule is applied in closed form,
     *
     * <pre>
     *   t = (log u − log(1 − u) + log α) / β,  s = sigmoid(t),  x = s (ζ − γ) + γ,  z = clamp(x, 0, 1)
     *   ∂z/∂log α = (ζ − γ) s (1 − s) / β  where 0 ≤ x ≤ 1 (the engine's clamp passes its bounds), else 0
     * </pre>
     *
     * @param logAlpha the gate parameters log α
     * @param u noise from {@link #noise}, one value per gate
     * @param z receives the samples, one per gate
     * @param slope receives ∂z/∂log α, one per gate
     * @throws IllegalArgumentException if the four arrays differ in length
     */
    public void sampleFromNoise(float[] logAlpha, float[] u, float[] z, float[] slope) {
        int n = logAlpha.length;
        if (u.length != n || z.length != n || slope.length != n) {
            throw new IllegalArgumentException("log alpha, noise, sample and slope must have one value per gate,"
                    + " got " + n + ", " + u.length + ", " + z.length + " and " + slope.length);
        }
        int from = GateKernels.vectorUsable()
                ? VectorGateKernel.sample(logAlpha, u, z, slope, 1f / (float) beta, (float) (zeta - gamma), (float) gamma)
                : 0;
        sampleScalar(logAlpha, u, z, slope, from);
    }

    /** The scalar loop of {@link #sampleFromNoise(float[], float[], float[], float[])} from element {@code from}. */
    void sampleScalar(float[] logAlpha, float[] u, float[] z, float[] slope, int from) {
        int n = logAlpha.length;
        float inverseBeta = 1f / (float) beta;
        float stretch = (float) (zeta - gamma);
        float lower = (float) gamma;
        float slopeScale = stretch * inverseBeta;
        for (int j = from; j < n; j++) {
            float noise = u[j];
            float logit = FloatMath.log(noise) - FloatMath.log(-noise + 1f);
            float t = (logit + logAlpha[j]) * inverseBeta;
            float s = 1f / (FloatMath.exp(-t) + 1f);
            float x = s * stretch + lower;
            boolean inside = x >= 0f && x <= 1f;
            z[j] = Math.min(Math.max(x, 0f), 1f);
            slope[j] = inside ? s * (-s + 1f) * slopeScale : 0f;
        }
    }

    /**
     * Describes how the closed-form gate computations ({@link #sampleFromNoise(float[], float[], float[], float[])},
     * {@link #weightedProbabilityNonZero}) run in this JVM, for a log line.
     *
     * @return e.g. "SIMD in Java, 16 floats wide" or "a scalar loop in Java (no jdk.incubator.vector module)"
     */
    public static String describeClosedForm() {
        return GateKernels.vectorUsable() ? "SIMD in Java, " + VectorGateKernel.lanes() + " floats wide"
                : "a scalar loop in Java (no usable jdk.incubator.vector module in this JVM)";
    }

    /**
     * Computes the weighted sum of the probabilities that the gates are non-zero, {@code Σ_j w_j P(z_j ≠ 0)},
     * and its derivatives {@code w_j ∂P(z_j ≠ 0)/∂log α_j} in closed form, in Java: {@code P = sigmoid(log α +
     * shift)} clamped to {@code [1e-6, 1 − 1e-6]} (as {@link #probabilityNonZero(NDArray, NDManager)}), whose
     * derivative is {@code P (1 − P)} inside the clamp and 0 outside.
     *
     * @param logAlpha the gate parameters log α
     * @param weights the weight of each gate (e.g. the parameters it switches)
     * @param slope receives {@code w_j ∂P(z_j ≠ 0)/∂log α_j}, one per gate
     * @return {@code Σ_j w_j P(z_j ≠ 0)}, summed in double precision
     * @throws IllegalArgumentException if the three arrays differ in length
     */
    public double weightedProbabilityNonZero(float[] logAlpha, float[] weights, float[] slope) {
        int n = logAlpha.length;
        if (weights.length != n || slope.length != n) {
            throw new IllegalArgumentException("log alpha, weights and slope must have one value per gate, got "
                    + n + ", " + weights.length + " and " + slope.length);
        }
        float shift = (float) probabilityShift();
        float low = (float) PROBABILITY_EPSILON;
        float high = (float) (1 - PROBABILITY_EPSILON);
        float[] clamped = new float[n];
        int from = GateKernels.vectorUsable()
                ? VectorGateKernel.probabilities(logAlpha, weights, clamped, slope, shift, low, high)
                : 0;
        for (int j = from; j < n; j++) {
            float p = 1f / (FloatMath.exp(-(logAlpha[j] + shift)) + 1f);
            boolean inside = p >= low && p <= high;
            clamped[j] = Math.min(Math.max(p, low), high);
            slope[j] = inside ? weights[j] * (p * (-p + 1f)) : 0f;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += (double) weights[j] * clamped[j];
        }
        return sum;
    }

    /**
     * Computes the closed-form probability that each gate is non-zero.
     *
     * @param logAlpha the gate parameters log α
     * @param manager the manager that owns the result
     * @return {@code P(z ≠ 0)} with the shape of {@code logAlpha}, owned by {@code manager}
     */
    public NDArray probabilityNonZero(NDArray logAlpha, NDManager manager) {
        NDArray shifted = ManagedArrays.owned(logAlpha.add(SharedConstants.of(logAlpha, probabilityShift())), manager);
        return Activation.sigmoid(shifted)
                .clip(like(shifted, PROBABILITY_EPSILON), like(shifted, 1 - PROBABILITY_EPSILON));
    }

    /**
     * Computes the deterministic test-time gate in the given convention.
     *
     * @param logAlpha the gate parameters log α
     * @param convention the test-time convention
     * @param manager the manager that owns the result
     * @return ẑ in {@code [0, 1]} with the shape of {@code logAlpha}, owned by {@code manager}
     */
    public NDArray deterministic(NDArray logAlpha, TestTimeGate convention, NDManager manager) {
        if (convention == TestTimeGate.MEDIAN) {
            NDArray scaled = ManagedArrays.owned(logAlpha.div(SharedConstants.of(logAlpha, beta)), manager);
            return stretchAndClamp(Activation.sigmoid(scaled));
        }
        return stretchAndClamp(ManagedArrays.owned(Activation.sigmoid(logAlpha), manager));
    }

    /**
     * Computes {@code P(z ≠ 0)} for one gate in double precision.
     *
     * @param logAlpha log α of the gate
     * @return the probability that the gate is non-zero
     */
    public double probabilityNonZero(double logAlpha) {
        double p = sigmoid(logAlpha + probabilityShift());
        return Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
    }

    /**
     * Computes the deterministic test-time gate of one gate in double precision.
     *
     * @param logAlpha log α of the gate
     * @param convention the test-time convention
     * @return ẑ in {@code [0, 1]}
     */
    public double deterministic(double logAlpha, TestTimeGate convention) {
        double x = convention == TestTimeGate.MEDIAN ? logAlpha / beta : logAlpha;
        return Math.min(Math.max(sigmoid(x) * (zeta - gamma) + gamma, 0), 1);
    }

    /**
     * Returns the log α at and below which the test-time gate is exactly 0: {@code −2.398} (Eq. 13)
     * or {@code −1.599} (median) with the default constants.
     *
     * @param convention the test-time convention
     * @return the lower threshold on log α
     */
    public double lowerThreshold(TestTimeGate convention) {
        double t = logit(-gamma / (zeta - gamma));
        return convention == TestTimeGate.MEDIAN ? beta * t : t;
    }

    /**
     * Returns the log α at and above which the test-time gate is exactly 1: {@code 2.398} (Eq. 13)
     * or {@code 1.599} (median) with the default constants.
     *
     * @param convention the test-time convention
     * @return the upper threshold on log α
     */
    public double upperThreshold(TestTimeGate convention) {
        double t = logit((1 - gamma) / (zeta - gamma));
        return convention == TestTimeGate.MEDIAN ? beta * t : t;
    }

    /**
     * Returns the mean of the log α initialisation for a drop rate d: {@code log(1 − d) − log d}
     * (0 for d = 0.5, 1.386 for d = 0.2).
     *
     * @param droprate the initial drop rate d, in {@code (0, 1)}
     * @return the initial mean of log α
     */
    public static double initialLogAlphaMean(double droprate) {
        if (!(droprate > 0 && droprate < 1)) {
            throw new IllegalArgumentException("droprate must be in (0, 1), got " + droprate);
        }
        return Math.log(1 - droprate) - Math.log(droprate);
    }

    private NDArray stretchAndClamp(NDArray s) {
        return s.mul(SharedConstants.of(s, zeta - gamma)).add(SharedConstants.of(s, gamma)).clip(0, 1);
    }

    /** A scalar of the array's precision, so that 0-dimensional arrays keep their data type. */
    private static Number like(NDArray array, double value) {
        return array.getDataType() == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }
}
