package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A feasibility problem (no objective) with one indexed multiplier per training example (Ramirez et
 * al., "Feasible learning", AISTATS 2025): find {@code w} with {@code (a_i . w - y_i)^2 <= eps} for
 * each of 200 examples, {@code y = A w* + noise, |noise| <= 0.05}, {@code eps = 0.01}; each step sees
 * 20 examples; multipliers start at 1 (all examples weigh equally at first), primal SGD 0.005, dual
 * SGD 0.05. At the start 200/200 examples violate; at the end every one is met, strictly.
 */
class FeasibleLearningTest {

    static final int N = 200;
    static final int D = 5;
    static final double EPS = 0.01;

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void everyExampleMeetsItsConstraintWithoutAnObjective(String engine) {
        Random rng = new Random(3);
        double[] a = new double[N * D];
        double[] y = new double[N];
        double[] wStar = {1, -2, 0.5, 3, -1};
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < D; k++) {
                a[i * D + k] = rng.nextGaussian();
                y[i] += a[i * D + k] * wStar[k];
            }
            y[i] += 0.1 * (rng.nextDouble() - 0.5);
        }
        try (NDManager m = Engines.manager(engine)) {
            NDArray features = m.create(a, new Shape(N, D));
            NDArray targets = m.create(y);
            NDArray w = m.zeros(new Shape(D), DataType.FLOAT64);
            w.setRequiresGradient(true);
            Constraint fit = Constraint.builder().setName("fit").setType(ConstraintType.INEQUALITY)
                    .setSize(N).optMultiplierKind(MultiplierKind.INDEXED).optInitialMultiplier(1.0).build();
            ConstrainedMinimizationProblem<long[]> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(long[] batch) {
                    NDArray idx = m.create(batch);
                    NDArray residual = features.get(idx).matMul(w).sub(targets.get(idx));
                    return CmpState.of(null, fit, ConstraintState.of(residual.square().sub(EPS)).withIndices(idx));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(fit);
                }
            };
            ConstrainedOptimizer<long[]> opt = ConstrainedOptimizer.<long[]>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.005f)).build(), w))
                    .setDualOptimizer(DualSgd.of(0.05))
                    .build();
            long[] all = new long[N];
            for (int i = 0; i < N; i++) {
                all[i] = i;
            }
            FeasibilityReport before = opt.feasibility(all, FeasibilityTolerance.of(0));
            assertThat(before.unmet()).hasSize(N);
            Random order = new Random(5);
            StepRecord last = null;
            for (int epoch = 0; epoch < 60; epoch++) {
                int[] perm = IndexedAndProxyConstraintTest.permutation(N, order);
                for (int s = 0; s < N; s += 20) {
                    long[] batch = new long[20];
                    for (int j = 0; j < 20; j++) {
                        batch[j] = perm[s + j];
                    }
                    last = opt.step(batch);
                }
            }
            assertThat(last.loss()).isZero();
            FeasibilityReport after = opt.feasibility(all, FeasibilityTolerance.of(0));
            assertThat(after.verdicts()).hasSize(N);
            assertThat(after.unmet()).as(after.format(5)).isEmpty();
            // the multipliers of the examples that were violated grew
            assertThat(java.util.Arrays.stream(fit.multiplier().values()).max().getAsDouble()).isGreaterThan(0);
        }
    }
}
