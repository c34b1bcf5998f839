package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.ScalarProblem;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden values, computed by hand, for the first steps of each scheme on {@code min (x-2)^2 s.t. x
 * <= 1} from x0 = lambda0 = 0 with primal SGD eta_x = 1/8 and dual SGD eta = 1/2 (all values are
 * exact binary fractions, so equality is exact in float64). Primal gradient {@code 2(x-2) +
 * lambda}, dual direction {@code x - 1}, projection {@code max(0, .)}.
 */
class SchemeGoldenValuesTest {

    static Stream<Arguments> goldenValues() {
        return Stream.of(
                // x_t and lambda_t after steps 1..5 (step 6 for simultaneous)
                Arguments.of(UpdateScheme.SIMULTANEOUS,
                        new double[] {0.5, 0.875, 1.15625, 1.3671875, 1.515625, 1.60400390625},
                        new double[] {0, 0, 0, 0.078125, 0.26171875, 0.51953125}),
                Arguments.of(UpdateScheme.ALTERNATING_PRIMAL_DUAL,
                        new double[] {0.5, 0.875, 1.15625, 1.357421875, 1.4859619140625},
                        new double[] {0, 0, 0.078125, 0.2568359375, 0.49981689453125}),
                Arguments.of(UpdateScheme.ALTERNATING_DUAL_PRIMAL,
                        new double[] {0.5, 0.875, 1.15625, 1.357421875, 1.4859619140625},
                        new double[] {0, 0, 0, 0.078125, 0.2568359375}),
                Arguments.of(UpdateScheme.EXTRAGRADIENT,
                        new double[] {0.375, 0.6796875, 0.92724609375, 1.1285400390625, 1.27431488037109375},
                        new double[] {0, 0, 0.0048828125, 0.102294921875, 0.26910400390625}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenValues")
    void firstStepsMatchHandComputedValues(UpdateScheme scheme, double[] xs, double[] lambdas) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ScalarProblem problem = new ScalarProblem(manager, Constraint.inequality("c", 1));
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f)).build();
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(sgd, problem.x()))
                    .setDualOptimizer(DualSgd.of(0.5))
                    .optScheme(scheme)
                    .build();
            for (int t = 0; t < xs.length; t++) {
                StepRecord r = opt.step(null);
                assertThat(r.step()).isEqualTo(t + 1);
                assertThat(problem.x().getDouble()).as("x after step %d", t + 1).isEqualTo(xs[t]);
                assertThat(problem.constraint().multiplier().value(0))
                        .as("lambda after step %d", t + 1).isEqualTo(lambdas[t]);
                assertThat(r.multiplier("c")).containsExactly(lambdas[t]);
            }
        }
    }
}
