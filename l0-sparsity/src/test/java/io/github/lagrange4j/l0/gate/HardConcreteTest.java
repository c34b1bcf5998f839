package io.github.lagrange4j.l0.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Specification of the hard-concrete gate maths (Louizos et al., ICLR 2018: the hard concrete distribution and
 * its test-time estimator, eq. 13).
 */
class HardConcreteTest {

    private static final HardConcrete HC = HardConcrete.DEFAULT;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** E[z] = ∫₀¹ z(u) du by the midpoint rule with 2·10⁶ nodes (u clamped as in sampling). */
    private static double numericalMean(double logAlpha) {
        int n = 2_000_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double u = (i + 0.5) / n;
            u = Math.min(Math.max(u, HardConcrete.NOISE_EPSILON), 1 - HardConcrete.NOISE_EPSILON);
            double s = 1 / (1 + Math.exp(-(Math.log(u) - Math.log1p(-u) + logAlpha) / HC.beta()));
            sum += Math.min(Math.max(s * (HC.zeta() - HC.gamma()) + HC.gamma(), 0), 1);
        }
        return sum / n;
    }

    @Test
    void probabilityShiftIsMinusBetaLogOfMinusGammaOverZeta() {
        assertThat(HC.probabilityShift()).isCloseTo(1.5986, within(1e-4));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -1.6, -0.5, 0.0, 0.7, 2.0})
    void monteCarloFractionOfNonZeroGatesMatchesClosedForm(double logAlpha) {
        Engine.getInstance().setRandomSeed(1234);
        int draws = 1_000_000;
        try (NDManager m = manager.newSubManager()) {
            NDArray la = m.full(new Shape(1), (float) logAlpha);
            NDArray z = HC.sample(la, m, new Shape(draws));
            double fractionNonZero = z.gt(0).toType(DataType.FLOAT32, false).mean().getFloat();
            double closedForm = HC.probabilityNonZero(la, m).getFloat(0);
            assertThat(closedForm).isCloseTo(HC.probabilityNonZero(logAlpha), within(1e-6));
            assertThat(fractionNonZero).isCloseTo(closedForm, within(0.005));
            double mean = z.mean().getFloat();
            assertThat(mean).isCloseTo(numericalMean(logAlpha), within(0.003));
            assertThat(z.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(z.max().getFloat()).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void samplesAreReproducibleWithTheEngineSeed() {
        try (NDManager m = manager.newSubManager()) {
            NDArray la = m.zeros(new Shape(50));
            Engine.getInstance().setRandomSeed(7);
            float[] first = HC.sample(la, m, la.getShape()).toFloatArray();
            Engine.getInstance().setRandomSeed(7);
            float[] second = HC.sample(la, m, la.getShape()).toFloatArray();
            assertThat(second).containsExactly(first);
        }
    }

    /**
     * The Java sample from the same noise is the engine's sample to float rounding, and its slope is the
     * gradient the engine back-propagates through its dozen operations, 0 where the sample is clamped at 0 or 1.
     */
    @Test
    void theClosedFormSampleAndItsSlopeAreTheEnginesSampleAndGradient() {
        int n = 4001;
        try (NDManager m = manager.newSubManager()) {
            Engine.getInstance().setRandomSeed(21);
            NDArray la = m.randomUniform(-8f, 8f, new Shape(n));
            NDArray u = HC.noise(m, new Shape(n), DataType.FLOAT32);
            la.setRequiresGradient(true);
            float[] engineZ;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray z = HC.sampleFromNoise(la, u);
                engineZ = z.toFloatArray();
                gc.backward(z.sum()); // z_j depends on log α_j only: the gradient is dz_j / dlog α_j
            }
            float[] engineSlope = la.getGradient().toFloatArray();
            float[] z = new float[n];
            float[] slope = new float[n];
            HC.sampleFromNoise(la.toFloatArray(), u.toFloatArray(), z, slope);
            float[] zScalar = new float[n];
            float[] slopeScalar = new float[n];
            HC.sampleScalar(la.toFloatArray(), u.toFloatArray(), zScalar, slopeScalar, 0);
            assertThat(GateKernels.vectorUsable()).as("the tests run the vector kernel (and the scalar loop below)")
                    .isTrue();
            int zeros = 0;
            int ones = 0;
            for (int j = 0; j < n; j++) {
                assertThat(z[j]).as("sample %d", j).isCloseTo(engineZ[j], within(1e-6f));
                assertThat(slope[j]).as("slope %d", j).isCloseTo(engineSlope[j], within(1e-6f));
                assertThat(zScalar[j]).as("scalar sample %d", j).isEqualTo(z[j]);
                assertThat(slopeScalar[j]).as("scalar slope %d", j).isEqualTo(slope[j]);
                if (z[j] == 0f || z[j] == 1f) {
                    assertThat(slope[j]).as("clamped sample %d", j).isZero();
                    zeros += z[j] == 0f ? 1 : 0;
                    ones += z[j] == 1f ? 1 : 0;
                }
            }
            assertThat(zeros).as("samples clamped at 0").isGreaterThan(100);
            assertThat(ones).as("samples clamped at 1").isGreaterThan(100);
            assertThatThrownBy(() -> HC.sampleFromNoise(new float[3], new float[2], new float[3], new float[3]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one value per gate");
        }
    }

    /**
     * The closed form gives the same bits before and after the JIT compiler has compiled its loops (a seeded run
     * draws the same samples whenever the compiler gets to them), in SIMD registers and element by element.
     */
    @Test
    void theClosedFormGivesTheSameBitsBeforeAndAfterCompilation() {
        int n = 1184;
        java.util.Random random = new java.util.Random(3);
        float[] la = new float[n];
        float[] u = new float[n];
        float[] w = new float[n];
        for (int j = 0; j < n; j++) {
            la[j] = -4.6f + 9.2f * random.nextFloat();
            u[j] = 1e-6f + (1 - 2e-6f) * random.nextFloat();
            w[j] = 1 + random.nextInt(300);
        }
        float[] z0 = new float[n];
        float[] s0 = new float[n];
        float[] p0 = new float[n];
        HC.sampleFromNoise(la, u, z0, s0); // the first call: interpreted
        double sum0 = HC.weightedProbabilityNonZero(la, w, p0);
        float[] z = new float[n];
        float[] s = new float[n];
        float[] p = new float[n];
        double sum = 0;
        for (int call = 0; call < 6000; call++) { // enough calls for the compilers to take the loops
            HC.sampleFromNoise(la, u, z, s);
            sum = HC.weightedProbabilityNonZero(la, w, p);
        }
        assertThat(z).containsExactly(z0);
        assertThat(s).containsExactly(s0);
        assertThat(p).containsExactly(p0);
        assertThat(sum).isEqualTo(sum0);
        float[] zScalar = new float[n];
        float[] sScalar = new float[n];
        HC.sampleScalar(la, u, zScalar, sScalar, 0);
        assertThat(zScalar).containsExactly(z0);
        assertThat(sScalar).containsExactly(s0);
    }

    /** The weighted sum of P(z ≠ 0) and its gradient in Java are the engine's, 0 gradient where P is clamped. */
    @Test
    void theClosedFormExpectedCostIsTheEnginesWithItsGradient() {
        float[] logAlpha = {-30f, -4.6f, -2.5f, -1f, 0f, 0.8f, 3f, 4.6f, 30f};
        float[] weights = {784f, 300f, 300f, 100f, 100f, 10f, 10f, 1f, 5f};
        try (NDManager m = manager.newSubManager()) {
            NDArray la = m.create(logAlpha);
            la.setRequiresGradient(true);
            float engineSum;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray sum = HC.probabilityNonZero(la, m).mul(m.create(weights)).sum();
                engineSum = sum.getFloat();
                gc.backward(sum);
            }
            float[] engineSlope = la.getGradient().toFloatArray();
            float[] slope = new float[logAlpha.length];
            double sum = HC.weightedProbabilityNonZero(logAlpha, weights, slope);
            assertThat(sum).isCloseTo(engineSum, within(1e-6 * engineSum));
            for (int j = 0; j < logAlpha.length; j++) {
                assertThat(slope[j]).as("slope %d", j).isCloseTo(engineSlope[j], within(1e-6f * weights[j]));
            }
            assertThat(slope[0]).as("P clamped at 1e-6").isZero();
            assertThat(slope[8]).as("P clamped at 1 - 1e-6").isZero();
            double p = HC.probabilityNonZero(0.0);
            assertThat(slope[4]).isCloseTo((float) (100 * p * (1 - p)), within(1e-5f));
        }
    }

    @Test
    void gradientOfExpectedDensityMatchesFiniteDifferences() {
        double[] logAlpha = {-2.5, -1.0, 0.0, 0.8, 3.0};
        long[] groupSize = {4, 1, 3, 2, 5};
        try (NDManager m = manager.newSubManager()) {
            NDArray la = m.create(logAlpha);
            NDArray sizes = m.create(groupSize).toType(DataType.FLOAT64, false);
            la.setRequiresGradient(true);
            double[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray density = HC.probabilityNonZero(la, m).mul(sizes).sum().div(15.0);
                gc.backward(density);
            }
            grad = la.getGradient().toDoubleArray();
            double h = 1e-5;
            for (int i = 0; i < logAlpha.length; i++) {
                double plus = densityAt(logAlpha, groupSize, i, h);
                double minus = densityAt(logAlpha, groupSize, i, -h);
                double finite = (plus - minus) / (2 * h);
                assertThat(grad[i]).as("d density / d log alpha[%d]", i).isCloseTo(finite, within(1e-8));
                double p = HC.probabilityNonZero(logAlpha[i]);
                assertThat(grad[i]).isCloseTo(p * (1 - p) * groupSize[i] / 15.0, within(1e-10));
            }
        }
    }

    private static double densityAt(double[] logAlpha, long[] groupSize, int index, double h) {
        double sum = 0;
        for (int i = 0; i < logAlpha.length; i++) {
            sum += HC.probabilityNonZero(logAlpha[i] + (i == index ? h : 0)) * groupSize[i];
        }
        return sum / 15.0;
    }

    @Test
    void louizosEq13GateIsExactlyZeroAndOneBeyondPlusMinus2398() {
        assertThat(HC.lowerThreshold(TestTimeGate.LOUIZOS_EQ13)).isCloseTo(-2.3979, within(1e-4));
        assertThat(HC.upperThreshold(TestTimeGate.LOUIZOS_EQ13)).isCloseTo(2.3979, within(1e-4));
        float[] gates = deterministic(TestTimeGate.LOUIZOS_EQ13, -4f, -2.398f, -2.39f, 0f, 2.39f, 2.398f, 4f);
        assertThat(gates[0]).isEqualTo(0f);
        assertThat(gates[1]).isEqualTo(0f);
        assertThat(gates[2]).isGreaterThan(0f).isLessThan(0.01f);
        assertThat(gates[3]).isCloseTo(0.5f, within(1e-6f));
        assertThat(gates[4]).isGreaterThan(0.99f).isLessThan(1f);
        assertThat(gates[5]).isEqualTo(1f);
        assertThat(gates[6]).isEqualTo(1f);
    }

    @Test
    void medianGateIsExactlyZeroAndOneBeyondPlusMinus1599() {
        assertThat(HC.lowerThreshold(TestTimeGate.MEDIAN)).isCloseTo(-1.5986, within(1e-4));
        assertThat(HC.upperThreshold(TestTimeGate.MEDIAN)).isCloseTo(1.5986, within(1e-4));
        float[] gates = deterministic(TestTimeGate.MEDIAN, -4f, -1.599f, -1.59f, 0f, 1.59f, 1.599f, 4f);
        assertThat(gates[0]).isEqualTo(0f);
        assertThat(gates[1]).isEqualTo(0f);
        assertThat(gates[2]).isGreaterThan(0f).isLessThan(0.01f);
        assertThat(gates[3]).isCloseTo(0.5f, within(1e-6f));
        assertThat(gates[4]).isGreaterThan(0.99f).isLessThan(1f);
        assertThat(gates[5]).isEqualTo(1f);
        assertThat(gates[6]).isEqualTo(1f);
    }

    @ParameterizedTest
    @EnumSource(TestTimeGate.class)
    void arrayAndScalarDeterministicGatesAgree(TestTimeGate convention) {
        float[] logAlpha = {-3f, -1f, -0.2f, 0.4f, 1.2f, 3f};
        float[] gates = deterministic(convention, logAlpha);
        for (int i = 0; i < logAlpha.length; i++) {
            assertThat((double) gates[i]).isCloseTo(HC.deterministic(logAlpha[i], convention), within(1e-6));
        }
    }

    @Test
    void medianGateIsNonZeroExactlyWhenNonZeroIsMoreLikelyThanZero() {
        for (double la = -4.6; la <= 4.6; la += 0.01) {
            boolean kept = HC.deterministic(la, TestTimeGate.MEDIAN) > 0;
            assertThat(kept).as("log alpha %.2f", la).isEqualTo(HC.probabilityNonZero(la) > 0.5);
        }
    }

    @Test
    void initialMeanIsLogOddsOfKeeping() {
        assertThat(HardConcrete.initialLogAlphaMean(0.5)).isEqualTo(0.0);
        assertThat(HardConcrete.initialLogAlphaMean(0.2)).isCloseTo(Math.log(4), within(1e-12));
        assertThat(HC.probabilityNonZero(HardConcrete.initialLogAlphaMean(0.5))).isCloseTo(0.832, within(1e-3));
    }

    @Test
    void invalidConstantsFailWithTheirRange() {
        assertThatThrownBy(() -> new HardConcrete(0, -0.1, 1.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("beta (temperature) must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new HardConcrete(-1, -0.1, 1.1))
                .hasMessageContaining("beta (temperature) must be finite and > 0");
        assertThatThrownBy(() -> new HardConcrete(2.0 / 3, 0.1, 1.1))
                .hasMessage("gamma must be finite and < 0, got 0.1");
        assertThatThrownBy(() -> new HardConcrete(2.0 / 3, -0.1, 1.0))
                .hasMessage("zeta must be finite and > 1, got 1.0");
        assertThatThrownBy(() -> HardConcrete.initialLogAlphaMean(1.0))
                .hasMessage("droprate must be in (0, 1), got 1.0");
    }

    private static float[] deterministic(TestTimeGate convention, float... logAlpha) {
        try (NDManager m = manager.newSubManager()) {
            return HC.deterministic(m.create(logAlpha), convention, m).toFloatArray();
        }
    }
}
