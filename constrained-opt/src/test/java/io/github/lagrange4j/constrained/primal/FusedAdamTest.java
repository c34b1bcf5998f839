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

/**
 * The fused (one native call per parameter) Adam update on PyTorch against the same rule as separate array
 * operations and against Adam in double precision: float32 parameters, weight decay, a gradient rescale and a
 * per-parameter learning rate, 200 steps of a random quadratic loss.
 */
class FusedAdamTest {

    private static final int N = 500;
    private static final int STEPS = 200;

    private static StatefulAdam adam(boolean fused) {
        StatefulAdam.Builder b = StatefulAdam.builder()
                .optLearningRateTracker(Tracker.fixed(0.01f))
                .optLearningRateMultiplier(k -> k.contains("log_alpha") ? 10f : 1f)
                .optWeightDecays(0.001f)
                .setRescaleGrad(0.5f);
        return b.optFused(fused).build();
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
    private static StatefulAdam train(NDManager m, Map<String, NDArray> params, boolean fused) {
        StatefulAdam adam = adam(fused);
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

    @Test
    void fusedUpdateEqualsTheUnfusedRuleWithinFloatRounding() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Map<String, NDArray> fusedParams = params(m);
            Map<String, NDArray> plainParams = params(m);
            StatefulAdam fused = train(m, fusedParams, true);
            StatefulAdam plain = train(m, plainParams, false);
            assertThat(fused.fusedUpdates()).isEqualTo(2L * STEPS);
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
                assertThat(fusedParams.get(key).getGradient().toFloatArray()).as(key + " gradient zeroed")
                        .containsOnly(0f);
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
    void fusedUpdateFollowsAdamInDoublePrecision() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.create(new float[] {0.5f, -1f, 2f});
            w.setRequiresGradient(true);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f))
                    .optWeightDecays(0.01f).build();
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
