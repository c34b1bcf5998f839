package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Indexed multipliers with partial observation, and a proxy constraint with a step-function strict violation. */
class IndexedAndProxyConstraintTest {

    /**
     * {@code min sum_i (x_i - a_i)^2 s.t. x_i <= b_i}, i < 100, each batch observing 10 indices (a
     * seeded permutation per epoch): exact solution {@code x* = min(a, b)}, {@code lambda* = 2
     * max(0, a - b)}.
     */
    @Test
    void indexedMultipliersConvergeWhenOnlyTenOfAHundredConstraintsAreObservedPerStep() {
        int n = 100;
        Random rng = new Random(7);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = -1 + 3 * rng.nextDouble();
            b[i] = rng.nextDouble();
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(n), DataType.FLOAT64);
            x.setRequiresGradient(true);
            NDArray aArr = m.create(a);
            NDArray bArr = m.create(b);
            Constraint bounds = Constraint.builder().setName("bounds").setType(ConstraintType.INEQUALITY)
                    .setSize(n).optMultiplierKind(MultiplierKind.INDEXED).build();
            ConstrainedMinimizationProblem<long[]> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(long[] batch) {
                    NDArray idx = m.create(batch);
                    NDArray xb = x.take(idx);
                    NDArray loss = xb.sub(aArr.take(idx)).square().sum();
                    return CmpState.of(loss, bounds, ConstraintState.of(xb.sub(bArr.take(idx))).withIndices(idx));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(bounds);
                }
            };
            ConstrainedOptimizer<long[]> opt = ConstrainedOptimizer.<long[]>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.25f)).build(), x))
                    .setDualOptimizer(DualSgd.of(0.5))
                    .build();
            Random order = new Random(11);
            for (int epoch = 0; epoch < 150; epoch++) {
                int[] perm = permutation(n, order);
                for (int s = 0; s < n; s += 10) {
                    long[] batch = new long[10];
                    for (int j = 0; j < 10; j++) {
                        batch[j] = perm[s + j];
                    }
                    StepRecord r = opt.step(batch);
                    assertThat(r.violation("bounds")).hasSize(10);
                }
            }
            double[] xStar = new double[n];
            double[] lambdaStar = new double[n];
            for (int i = 0; i < n; i++) {
                xStar[i] = Math.min(a[i], b[i]);
                lambdaStar[i] = 2 * Math.max(0, a[i] - b[i]);
            }
            assertThat(x.toDoubleArray()).containsExactly(xStar, within(1e-3));
            assertThat(bounds.multiplier().values()).containsExactly(lambdaStar, within(1e-3));
            assertThat(opt.stepCount()).isEqualTo(1500);
        }
    }

    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * {@code min (x - 2)^2 s.t. x <= 1} where the dual only sees the non-differentiable indicator
     * {@code 1[x > 1]} and the primal the proxy {@code x - 1}: lambda grows only while infeasible,
     * so the run must end strictly feasible, near the boundary.
     */
    @Test
    void proxyConstraintWithStepFunctionStrictViolationEndsFeasible() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT64);
            x.setRequiresGradient(true);
            Constraint c = Constraint.inequality("x<=1", 1);
            ConstrainedMinimizationProblem<Void> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Void batch) {
                    NDArray proxy = x.sub(1);
                    NDArray strict = proxy.gt(0).toType(DataType.FLOAT64, false);
                    return CmpState.of(x.sub(2).square(), c, ConstraintState.of(proxy, strict));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(c);
                }
            };
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), x))
                    .setDualOptimizer(DualSgd.of(0.01))
                    .build();
            StepRecord last = null;
            for (int t = 0; t < 1000; t++) {
                last = opt.step(null);
            }
            double lambda = c.multiplier().value(0);
            assertThat(x.getDouble()).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
            assertThat(last.violation("x<=1")).containsExactly(0.0);
            // once feasible, lambda freezes and x settles at the stationary point of (x-2)^2 + lambda (x-1)
            assertThat(x.getDouble()).isCloseTo(2 - lambda / 2, within(1e-6));
            assertThat(lambda).isCloseTo(2.0, within(0.2));
        }
    }
}
