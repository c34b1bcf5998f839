package io.github.lagrange4j.constrained.multiplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.OptimizerCheckpoint;
import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A multiplier model reproduces the per-constraint multipliers of {@code min sum_i (x_i - a_i)^2 s.t.
 * x_i <= b_i}, i < 1,000, each step observing 20 constraints: the exact multipliers are {@code
 * lambda*_i = 2 max(0, a_i - b_i) = relu(2 a_i - 2 b_i)}, which a linear model of the features
 * {@code (a_i, b_i)} under the inequality's relu represents exactly. Primal SGD at 0.5 is the exact
 * best response of the observed {@code x_i}; the alternating primal-dual scheme hands the model the
 * violations at the new {@code x}, so its ascent is a regression step on fresh data (20 epochs of
 * 50 steps).
 */
class MultiplierModelTest {

    static final int N = 1000;
    static final int BATCH = 20;

    static final class Fixture {
        final double[] a = new double[N];
        final double[] b = new double[N];
        final NDArray x;
        final NDArray aArr;
        final NDArray bArr;
        final Constraint bounds = Constraint.builder().setName("bounds").setType(ConstraintType.INEQUALITY)
                .setSize(N).optMultiplierKind(MultiplierKind.INDEXED).build();
        final MultiplierModel model;
        final ConstrainedOptimizer<long[]> optimizer;

        Fixture(NDManager m, UpdateScheme scheme) {
            Random rng = new Random(7);
            float[] phi = new float[2 * N];
            for (int i = 0; i < N; i++) {
                a[i] = -1 + 3 * rng.nextDouble();
                b[i] = rng.nextDouble();
                phi[2 * i] = (float) a[i];
                phi[2 * i + 1] = (float) b[i];
            }
            x = m.zeros(new Shape(N), DataType.FLOAT64);
            x.setRequiresGradient(true);
            aArr = m.create(a);
            bArr = m.create(b);
            Linear block = Linear.builder().setUnits(1).build();
            block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            block.setInitializer(Initializer.ONES, Parameter.Type.BIAS);
            block.initialize(m, DataType.FLOAT32, new Shape(BATCH, 2));
            model = new MultiplierModel(block, m.create(phi, new Shape(N, 2)), 0.05);
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
            optimizer = ConstrainedOptimizer.<long[]>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.5f)).build(), x))
                    .setDualOptimizer(DualSgd.of(1.0))
                    .optMultiplierModel(bounds, model)
                    .optScheme(scheme)
                    .build();
        }

        void run(int epochs, Random order) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] perm = permutation(N, order);
                for (int s = 0; s < N; s += BATCH) {
                    long[] batch = new long[BATCH];
                    for (int j = 0; j < BATCH; j++) {
                        batch[j] = perm[s + j];
                    }
                    optimizer.step(batch);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void reproducesAThousandPerConstraintMultipliersFromTwentyPerStep(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            Fixture f = new Fixture(m, UpdateScheme.ALTERNATING_PRIMAL_DUAL);
            f.run(20, new Random(11));
            int[] all = new int[N];
            for (int i = 0; i < N; i++) {
                all[i] = i;
            }
            double[] lambda = f.model.values(ConstraintType.INEQUALITY, all);
            double[] x = f.x.toDoubleArray();
            double worstLambda = 0;
            double worstX = 0;
            for (int i = 0; i < N; i++) {
                worstLambda = Math.max(worstLambda, Math.abs(lambda[i] - 2 * Math.max(0, f.a[i] - f.b[i])));
                worstX = Math.max(worstX, Math.abs(x[i] - Math.min(f.a[i], f.b[i])));
            }
            assertThat(worstLambda).isLessThan(1e-3);
            assertThat(worstX).isLessThan(1e-3);
            // the constraint's multipliers hold the model's values as of each entry's last step
            assertThat(f.bounds.multiplier().values()).containsExactly(lambda, within(1e-5));
        }
    }

    @Test
    void sixEpochsEqualThreeSaveLoadThree() throws IOException {
        try (NDManager m = Engines.manager("PyTorch")) {
            Fixture straight = new Fixture(m, UpdateScheme.ALTERNATING_PRIMAL_DUAL);
            Random order = new Random(3);
            straight.run(6, order);
            Fixture first = new Fixture(m, UpdateScheme.ALTERNATING_PRIMAL_DUAL);
            Random order2 = new Random(3);
            first.run(3, order2);
            byte[] checkpoint = OptimizerCheckpoint.toBytes(first.optimizer);
            Fixture resumed = new Fixture(m, UpdateScheme.ALTERNATING_PRIMAL_DUAL);
            OptimizerCheckpoint.fromBytes(resumed.optimizer, checkpoint, m);
            resumed.run(3, order2);
            assertThat(resumed.x.toDoubleArray()).containsExactly(straight.x.toDoubleArray());
            assertThat(resumed.bounds.multiplier().values()).containsExactly(straight.bounds.multiplier().values());
            assertThat(OptimizerCheckpoint.toBytes(resumed.optimizer)).isEqualTo(OptimizerCheckpoint.toBytes(straight.optimizer));
        }
    }

    @Test
    void rejectsSchemesThatUpdateTheDualInsideThePrimalStep() {
        try (NDManager m = Engines.manager("PyTorch")) {
            assertThatThrownBy(() -> new Fixture(m, UpdateScheme.EXTRAGRADIENT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiplier models work with the SIMULTANEOUS and ALTERNATING_PRIMAL_DUAL schemes,"
                            + " got EXTRAGRADIENT");
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
}
