package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * StatefulAdam / StatefulSgd: closed-form Adam, per-parameter learning rates, and exact resume.
 * Loss {@code sum_i k_i w_i^2 + sum_j k_j u_j^2}, so the gradient {@code 2 k w} is exact.
 */
class StatefulAdamTest {

    static final double[] W0 = {0.5, -1.0, 2.0};
    static final double[] K = {1.0, 3.0, 0.25};
    static final double[] U0 = {1.5, -0.75};

    /** Two parameters "w" and "gate.log_alpha", trained on the quadratic loss. */
    static Map<String, NDArray> params(NDManager m) {
        NDArray w = m.create(W0);
        NDArray u = m.create(U0);
        w.setRequiresGradient(true);
        u.setRequiresGradient(true);
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w", w);
        p.put("gate.log_alpha", u);
        return p;
    }

    static void train(ParameterOptimizer po, int steps) {
        NDArray w = po.namedParameters().get("w");
        NDArray u = po.namedParameters().get("gate.log_alpha");
        try (NDManager k = w.getManager().newSubManager()) {
            NDArray kw = k.create(K);
            for (int t = 0; t < steps; t++) {
                try (NDManager sub = w.getManager().newSubManager();
                        GradientCollector gc = po.newGradientCollector()) {
                    NDArray loss = w.square().mul(kw).sum().add(u.square().sum());
                    sub.tempAttachAll(loss);
                    gc.backward(loss);
                }
                po.step();
            }
        }
    }

    static StatefulAdam adam() {
        return StatefulAdam.builder()
                .optLearningRateTracker(Tracker.fixed(0.05f))
                .optLearningRateMultiplier(k -> k.contains("log_alpha") ? 4f : 1f)
                .optWeightDecays(0.01f)
                .build();
    }

    @Test
    void matchesTheClosedFormAdamUpdateWithPerParameterLearningRate() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ParameterOptimizer po = ParameterOptimizer.of(adam(), params(m));
            train(po, 5);
            double lr = (double) 0.05f;
            double wd = (double) 0.01f;
            assertThat(po.namedParameters().get("w").toDoubleArray())
                    .containsExactly(closedFormAdam(W0, K, lr, wd, 5), within(1e-12));
            assertThat(po.namedParameters().get("gate.log_alpha").toDoubleArray())
                    .containsExactly(closedFormAdam(U0, new double[] {1, 1}, 4 * lr, wd, 5), within(1e-12));
            // golden first step of w[0]: g = 2*1*0.5 + wd*0.5; Adam's first step is -lr*sign(g)
            assertThat(closedFormAdam(W0, K, lr, wd, 1)[0]).isCloseTo(0.5 - lr, within(1e-7));
            assertThat(((StatefulAdam) po.optimizer()).stepCount("w")).isEqualTo(5);
        }
    }

    /** Adam (PyTorch form) in plain Java double arithmetic. */
    static double[] closedFormAdam(double[] w0, double[] k, double lr, double wd, int steps) {
        double[] w = w0.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = 2 * k[i] * w[i] * 1.0;
                g = g + w[i] * wd;
                m[i] = m[i] * 0.9 + g * (1 - 0.9);
                v[i] = v[i] * 0.999 + g * g * (1 - 0.999);
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                w[i] -= mHat / (Math.sqrt(vHat) + 1e-8) * lr;
            }
        }
        return w;
    }

    @Test
    void adamResumesBitExactly() throws IOException {
        assertResumesBitExactly(StatefulAdamTest::adam);
    }

    @Test
    void sgdWithMomentumResumesBitExactly() throws IOException {
        assertResumesBitExactly(() -> StatefulSgd.builder().optMomentum(0.9)
                .optLearningRateTracker(Tracker.fixed(0.02f)).build());
    }

    static void assertResumesBitExactly(Supplier<StatefulOptimizer> factory) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ParameterOptimizer straight = ParameterOptimizer.of(factory.get(), params(m));
            train(straight, 40);

            ParameterOptimizer first = ParameterOptimizer.of(factory.get(), params(m));
            train(first, 20);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ((StatefulOptimizer) first.optimizer()).saveState(new DataOutputStream(bytes));
            Map<String, NDArray> resumedParams = params(m);
            ParameterValues.assign(resumedParams.get("w"), first.namedParameters().get("w"));
            ParameterValues.assign(resumedParams.get("gate.log_alpha"), first.namedParameters().get("gate.log_alpha"));
            StatefulOptimizer fresh = factory.get();
            fresh.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m);
            ParameterOptimizer resumed = ParameterOptimizer.of(fresh, resumedParams);
            train(resumed, 20);

            for (String key : straight.namedParameters().keySet()) {
                assertThat(resumed.namedParameters().get(key).toDoubleArray())
                        .as(key).containsExactly(straight.namedParameters().get(key).toDoubleArray());
            }
            assertThat(fresh.stepCount("w")).isEqualTo(40);
        }
    }

    @Test
    void rejectsInvalidSettingsNamingTheArgument() {
        assertThatThrownBy(() -> StatefulAdam.builder().optBeta1(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beta1 must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> StatefulAdam.builder().optEpsilon(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("epsilon must be > 0, got 0.0");
        assertThatThrownBy(() -> StatefulSgd.builder().optMomentum(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("momentum must be in [0, 1), got -0.1");
        StatefulAdam negative = StatefulAdam.builder().optLearningRateMultiplier(k -> -1f).build();
        assertThatThrownBy(() -> negative.learningRate("w", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("learningRateMultiplier for 'w' must be finite and >= 0, got -1.0");
        assertThat(Optimizer.class).isAssignableFrom(StatefulAdam.class);
    }
}
