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
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianOptimizer;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every optimizer calls the problem's {@code projectPrimal()} once per step, after the step's primal and
 * dual updates, so a loop that only calls {@code step} keeps the primal point in its domain.
 */
class ProjectPrimalTest {

    /** {@code min (x-2)^2 s.t. x <= 1}, with x projected onto {@code x <= 1.25} (active from step 4 on). */
    private static final class BoxedProblem implements ConstrainedMinimizationProblem<Void> {
        final ScalarProblem inner;
        final List<Double> lambdaAtProjection = new ArrayList<>();

        BoxedProblem(ScalarProblem inner) {
            this.inner = inner;
        }

        @Override
        public CmpState computeCmpState(Void batch) {
            return inner.computeCmpState(batch);
        }

        @Override
        public List<Constraint> constraints() {
            return inner.constraints();
        }

        @Override
        public void projectPrimal() {
            lambdaAtProjection.add(inner.constraint().multiplier().value(0));
            double x = inner.x().getDouble();
            if (x > 1.25) {
                inner.x().subi(x - 1.25);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UpdateScheme.class)
    void everySchemeProjectsOncePerStepAfterTheDualUpdate(UpdateScheme scheme) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            BoxedProblem problem = new BoxedProblem(new ScalarProblem(manager, Constraint.inequality("c", 1)));
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f)).build(), problem.inner.x()))
                    .setDualOptimizer(DualSgd.of(0.5))
                    .optScheme(scheme)
                    .build();
            boolean active = false;
            for (int t = 1; t <= 12; t++) {
                StepRecord r = opt.step(null);
                assertThat(problem.lambdaAtProjection).as("projections after step %d", t).hasSize(t);
                assertThat(problem.lambdaAtProjection.get(t - 1)).as("lambda seen by the projection, step %d", t)
                        .isEqualTo(r.multiplier("c", 0));
                double x = problem.inner.x().getDouble();
                assertThat(x).as("x after step %d", t).isLessThanOrEqualTo(1.25);
                active |= x == 1.25;
            }
            assertThat(active).as("the projection was active").isTrue();
        }
    }

    @Test
    void theProxyLagrangianOptimizerProjectsOncePerStep() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            BoxedProblem problem = new BoxedProblem(new ScalarProblem(manager, Constraint.inequality("c", 1)));
            ProxyLagrangianOptimizer<Void> opt = new ProxyLagrangianOptimizer<>(problem,
                    ParameterOptimizer.of(StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.25f)).build(),
                            problem.inner.x()),
                    ProxyLagrangianSettings.tfcoDefaults(0.1));
            for (int t = 1; t <= 12; t++) {
                opt.step(null);
                assertThat(problem.lambdaAtProjection).hasSize(t);
                assertThat(problem.inner.x().getDouble()).isLessThanOrEqualTo(1.25);
            }
        }
    }
}
