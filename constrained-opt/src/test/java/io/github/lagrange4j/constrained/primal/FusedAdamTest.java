package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two fused Adam updates on PyTorch (the single SIMD pass in Java over the arrays' memory, and the engine's
 * one native call per parameter) against the same rule as separate array operations and against Adam in
 * double precision: float32 parameters, weight decay, a gradient rescale and a per-parameter learning rate, 200
 * steps of a random quadratic loss.
 */
class FusedAdamTest {

    private static final int N = 500;
    private static final int STEPS = 200;

    private static StatefulAdam adam(boolean fused, boolean vector) {
        StatefulAdam.Builder b = StatefulAdam.builder()
                .optLearningRateTracker(Tracker.fixed(0.01f))
                .optLearningRateMultiplier(k -> k.contains("log_alpha") ? 10f : 1f)
                .optWeightDecays(0.001f)
                .setRescaleGrad(0.5f);
        return b.optFused(fused).optVectorKernel(vector).build();
    }

    private static float[] random(long seed, double scale, double offset) {
        Random r = new Random(seed);
        float[] a = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (float) (offset + scale * r.nextGaussian());
        }
        return a;
    }

    /** Trains "w" and "log_alpha" on sum k (x - c)^2; returns the optimizer. */
    private static StatefulAdam train(NDManager m, Map<String, NDArray> params, boolean fused, boolean vector) {
        StatefulAdam adam = adam(fused, vector);
        ParameterOptimizer po = ParameterOptimizer.of(adam, params);
        try (NDManager constants = m.newSubManager()) {
            NDArray k = constants.create(random(3, 1, 2)).abs();
            NDArray c = constants.create(random(4, 1, 0));
            for (int t = 0; t < STEPS; t++) {
                try (NDManager step = m.newSubManager(); GradientCollector gc = po.newGradientCollector()) {
                    NDArray loss = params.get("w").sub(c).square().mul(k).sum()
                            .add(params.get("gate.log_alpha").sub(c).square().sum());
                    step.tempAttachAll(loss);
                    gc.backward(loss);
                }
                po.step();
            }
        }
        return adam;
    }

    private static Map<String, NDArray> params(NDManager m) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w", m.create(random(1, 1, 0)));
        p.put("gate.log_alpha", m.create(random(2, 0.01, 1.4)));
        p.values().forEach(a -> a.setRequiresGradient(true));
        return p;
    }

    /**
     * Whether this JVM runs the single pass: surefire starts the tests with {@code --add-modules
     * jdk.incubator.vector}, as the launcher starts the CLI, and the kernel's loads exist in the vector API of
     * Java 16 to 19 (later JDKs replaced them: there every update takes the engine's call, which these tests then
     * check instead).
     */
    private static final boolean SINGLE_PASS = Runtime.version().feature() <= 19;

    @Test
    void theSinglePassRunsOnJava17To19AndLaterJdksFallBack() {
        assertThat(StatefulAdam.vectorKernelAvailable()).isEqualTo(SINGLE_PASS);
        assertThat(StatefulAdam.describeFusedUpdate()).startsWith(SINGLE_PASS ? "one SIMD pass" : "the engine's");
    }

    @ParameterizedTest(name = "single SIMD pass: {0}")
    @ValueSource(booleans = {true, false})
    void fusedUpdateEqualsTheUnfusedRuleWithinFloatRounding(boolean vector) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Map<String, NDArray> fusedParams = params(m);
            Map<String, NDArray> plainParams = params(m);
            StatefulAdam fused = train(m, fusedParams, true, vector);
            StatefulAdam plain = train(m, plainParams, false, false);
            assertThat(fused.fusedUpdates()).isEqualTo(2L * STEPS);
            assertThat(fused.vectorUpdates()).isEqualTo(vector && SINGLE_PASS ? 2L * STEPS : 0);
            assertThat(plain.fusedUpdates()).isZero();
            for (String key : fusedParams.keySet()) {
                float[] a = fusedParams.get(key).toFloatArray();
                float[] b = plainParams.get(key).toFloatArray();
                double worst = 0;
                for (int i = 0; i < N; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
                }
                // each step rounds differently (~1e-7 relative); Adam's steps are bounded by the learning rate
                assertThat(worst).as(key).isLessThan(2e-5);
                // zeroed as the unfused rule zeroes it (multiplied by 0: a negative gradient leaves -0.0)
                float[] gradient = fusedParams.get(key).getGradient().toFloatArray();
                for (float x : gradient) {
                    assertThat(x).as(key + " gradient zeroed").isEqualTo(0f, org.assertj.core.api.Assertions.offset(0f));
                }
            }
            assertThat(fused.stepCount("w")).isEqualTo(STEPS);
            // the moments are this optimizer's state: saved like the unfused optimizer's, same layout and size
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            fused.saveState(new DataOutputStream(a));
            plain.saveState(new DataOutputStream(b));
            assertThat(a.size()).isEqualTo(b.size());
        }
    }

    @Test
    void bothFusedFormsAgreeToAFewUlps() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Map<String, NDArray> simd = params(m);
            Map<String, NDArray> engine = params(m);
            assertThat(train(m, simd, true, true).vectorUpdates()).isEqualTo(SINGLE_PASS ? 2L * STEPS : 0);
            assertThat(train(m, engine, true, false).vectorUpdates()).isZero();
            for (String key : simd.keySet()) {
                float[] a = simd.get(key).toFloatArray();
                float[] b = engine.get(key).toFloatArray();
                for (int i = 0; i < N; i++) {
                    // the same operations in the same order; fused multiply-adds may round apart
                    assertThat(a[i]).as(key + "[" + i + "]").isCloseTo(b[i],
                            org.assertj.core.api.Assertions.within(8 * Math.ulp(Math.max(1f, Math.abs(b[i])))));
                }
            }
        }
    }

    @Test
    void aMatrixParameterHasItsGradientZeroedAfterEveryStep() {
        // the single pass writes the zeros itself (into the gradient's verified memory), the engine's call zeroes
        // the gradient as an operation of its own
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray[] w = new NDArray[2];
            StatefulAdam[] adam = new StatefulAdam[2];
            for (int form = 0; form < 2; form++) {
                w[form] = m.randomNormal(0, 1, new Shape(300, 70), DataType.FLOAT32).duplicate();
                w[form].setRequiresGradient(true);
                adam[form] = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f))
                        .optVectorKernel(form == 0).build();
            }
            try (NDArray start = m.randomNormal(0, 1, new Shape(300, 70), DataType.FLOAT32)) {
                w[0].set(start.toFloatArray());
                w[1].set(start.toFloatArray());
            }
            for (int form = 0; form < 2; form++) {
                ParameterOptimizer po = ParameterOptimizer.of(adam[form], Map.of("w", w[form]));
                for (int t = 0; t < 3; t++) {
                    try (NDManager step = m.newSubManager(); GradientCollector gc = po.newGradientCollector()) {
                        NDArray loss = w[form].pow(3).sum();
                        step.tempAttachAll(loss);
                        gc.backward(loss);
                    }
                    po.step();
                    // zeroed, or the next backward would add to this step's gradient
                    assertThat(w[form].getGradient().abs().max().getFloat()).as("form %d step %d", form, t).isZero();
                }
            }
            assertThat(adam[0].vectorUpdates()).isEqualTo(SINGLE_PASS ? 3 : 0);
            assertThat(adam[1].vectorUpdates()).isZero();
            float[] a = w[0].toFloatArray();
            float[] b = w[1].toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isCloseTo(b[i], org.assertj.core.api.Assertions.within(8 * Math.ulp(Math.max(1f,
                        Math.abs(b[i])))));
            }
        }
    }

    @Test
    void aStridedGradientIsReadThroughACopyThatDoesNotOutliveTheUpdate() {
        // the engine hands a strided array's memory out as a contiguous copy owned by the array's manager; made
        // at every update, it would hold native memory until the model is closed
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
            w.setRequiresGradient(true);
            NDArray columnMajor = m.create(new float[] {0.5f, -1f, 0.25f, 2f}, new Shape(2, 2)).transpose();
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
            adam.update("w", w, columnMajor);
            int arrays = m.getManagedArrays().size();
            for (int t = 0; t < 5; t++) {
                adam.update("w", w, columnMajor);
            }
            assertThat(m.getManagedArrays()).hasSize(arrays);
            assertThat(adam.vectorUpdates()).isEqualTo(SINGLE_PASS ? 6 : 0);
            // six Adam steps against a constant gradient move every weight by about 6 lr against its sign, the
            // gradient read in its logical order [[0.5, 0.25], [-1, 2]]
            assertThat(w.toFloatArray()).usingComparatorWithPrecision(1e-4f).containsExactly(0.4f, 1.4f, 3.6f, 3.4f);
        }
    }

    @ParameterizedTest(name = "single SIMD pass: {0}")
    @ValueSource(booleans = {true, false})
    void fusedUpdateFollowsAdamInDoublePrecision(boolean vector) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            // three floats: fewer than one vector, so the kernel's scalar tail does the whole update
            NDArray w = m.create(new float[] {0.5f, -1f, 2f});
            w.setRequiresGradient(true);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f))
                    .optWeightDecays(0.01f).optVectorKernel(vector).build();
            ParameterOptimizer po = ParameterOptimizer.of(adam, Map.of("w", w));
            NDArray k = m.create(new float[] {1f, 3f, 0.25f});
            for (int t = 0; t < 5; t++) {
                try (NDManager step = m.newSubManager(); GradientCollector gc = po.newGradientCollector()) {
                    NDArray loss = w.square().mul(k).sum();
                    step.tempAttachAll(loss);
                    gc.backward(loss);
                }
                po.step();
            }
            assertThat(adam.fusedUpdates()).isEqualTo(5);
            assertThat(adam.vectorUpdates()).isEqualTo(vector && SINGLE_PASS ? 5 : 0);
            double[] expected = StatefulAdamTest.closedFormAdam(StatefulAdamTest.W0, StatefulAdamTest.K,
                    (double) 0.05f, (double) 0.01f, 5);
            float[] got = w.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertThat((double) got[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(2e-6));
            }
        }
    }

    @Test
    void float64ParametersAndClippedGradientsTakeTheUnfusedRule() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.ones(new Shape(4), DataType.FLOAT64);
            w.setRequiresGradient(true);
            StatefulAdam adam = StatefulAdam.builder().build();
            ParameterOptimizer po = ParameterOptimizer.of(adam, Map.of("w", w));
            try (NDManager step = m.newSubManager(); GradientCollector gc = po.newGradientCollector()) {
                NDArray loss = w.square().sum();
                step.tempAttachAll(loss);
                gc.backward(loss);
            }
            po.step();
            assertThat(adam.fusedUpdates()).isZero();

            NDArray f = m.ones(new Shape(4));
            f.setRequiresGradient(true);
            StatefulAdam clipped = StatefulAdam.builder().optClipGrad(0.1f).build();
            ParameterOptimizer pc = ParameterOptimizer.of(clipped, Map.of("f", f));
            try (NDManager step = m.newSubManager(); GradientCollector gc = pc.newGradientCollector()) {
                NDArray loss = f.square().sum();
                step.tempAttachAll(loss);
                gc.backward(loss);
            }
            pc.step();
            assertThat(clipped.fusedUpdates()).isZero();
            // first Adam step moves each weight by lr against the (clipped) gradient's sign
            assertThat(f.toFloatArray()[0]).isCloseTo(1f - 0.001f, org.assertj.core.api.Assertions.within(1e-6f));
        }
    }
}
