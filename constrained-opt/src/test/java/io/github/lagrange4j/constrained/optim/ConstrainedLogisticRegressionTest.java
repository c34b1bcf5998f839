package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Logistic regression on generated data (seed 3), with the positive-prediction rate on a subgroup
 * bounded by 0.3: proxy {@code mean sigmoid(z_g) - 0.3} for the primal, strict {@code mean 1[z_g >
 * 0] - 0.3} for the dual. Unconstrained, the subgroup's rate is far above the bound.
 */
class ConstrainedLogisticRegressionTest {

    static final int N = 400;
    static final double BOUND = 0.3;

    @Test
    void positiveRateOnTheSubgroupEndsWithinTheBound() {
        Random rng = new Random(3);
        float[] features = new float[N * 2];
        float[] labels = new float[N];
        float[] group = new float[N];
        for (int i = 0; i < N; i++) {
            boolean g = i % 2 == 0;
            double x1 = rng.nextGaussian() + (g ? 1.0 : -0.5);
            double x2 = rng.nextGaussian();
            features[2 * i] = (float) x1;
            features[2 * i + 1] = (float) x2;
            double p = 1 / (1 + Math.exp(-(2 * x1 - x2)));
            labels[i] = rng.nextDouble() < p ? 1f : 0f;
            group[i] = g ? 1f : 0f;
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.create(features, new Shape(N, 2));
            NDArray y = m.create(labels);
            NDArray inGroup = m.create(group);
            float groupSize = N / 2f;
            NDArray w = m.zeros(new Shape(2));
            NDArray bias = m.zeros(new Shape(1));
            w.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            Constraint rate = Constraint.inequality("groupPositiveRate", 1);
            ConstrainedMinimizationProblem<Void> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Void batch) {
                    NDArray z = x.matMul(w.reshape(2, 1)).reshape(N).add(bias);
                    // binary cross-entropy from logits: softplus(z) - y z
                    NDArray loss = z.exp().add(1).log().sub(y.mul(z)).mean();
                    NDArray proxy = z.getNDArrayInternal().sigmoid().mul(inGroup).sum().div(groupSize).sub(BOUND);
                    NDArray strict = z.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .mul(inGroup).sum().div(groupSize).sub(BOUND);
                    return CmpState.of(loss, rate, ConstraintState.of(proxy, strict));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(rate);
                }
            };
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", bias);
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.02f)).build(), params))
                    .setDualOptimizer(DualSgd.of(0.05))
                    .build();
            double maxLate = 0;
            StepRecord last = null;
            for (int t = 0; t < 800; t++) {
                last = opt.step(null);
                if (t >= 600) {
                    maxLate = Math.max(maxLate, last.violation("groupPositiveRate")[0] + BOUND);
                }
            }
            double trueModelRate = 0;
            for (int i = 0; i < N; i += 2) {
                trueModelRate += (2 * features[2 * i] - features[2 * i + 1] > 0 ? 1 : 0) / (double) groupSize;
            }
            double finalRate = last.violation("groupPositiveRate")[0] + BOUND;
                        System.out.printf("subgroup positive rate: true model %.3f, max over steps 600-800 %.3f, final %.3f,"
                    + " lambda %.4f, loss %.4f%n", trueModelRate, maxLate, finalRate, rate.multiplier().value(0), last.loss());
            assertThat(trueModelRate).as("the bound bites").isGreaterThan(BOUND + 0.2);
            // rates are multiples of 1/200: allow one subgroup point
            assertThat(finalRate).as("final rate").isLessThanOrEqualTo(BOUND + 0.005 + 1e-6);
            assertThat(maxLate).as("max rate over the last 200 steps").isLessThanOrEqualTo(BOUND + 0.01);
            assertThat(rate.multiplier().value(0)).isPositive();
            assertThat(last.loss()).isLessThan(Math.log(2));
        }
    }
}
