package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.KktSolver;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.OptimismSchedule;
import io.github.lagrange4j.constrained.dual.OptimisticDual;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constraint's own optimistic dual optimizer beside the shared plain one: the first step follows each
 * constraint's own rule, and the run reaches the exact KKT point of the projection problem on both engines.
 */
class OptimisticPerConstraintDualTest {

    static ConstrainedOptimizer<Void> optimizer(ProjectionProblem p) {
        return ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(
                        StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), p.x()))
                .setDualOptimizer(DualSgd.of(0.05))
                .optDualOptimizer(p.eq(), new OptimisticDual(DualSgd.of(0.2), new OptimismSchedule(1, 0, 500)))
                .build();
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void eachConstraintStepsWithItsOwnRuleAndTheRunReachesTheKktPoint(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            ProjectionProblem p = new ProjectionProblem(m, true, true, Lagrangian.create(), MultiplierKind.DENSE);
            ConstrainedOptimizer<Void> opt = optimizer(p);
            assertThat(opt.dual().optimizerFor(p.eq())).isInstanceOf(OptimisticDual.class);
            assertThat(opt.dual().optimizerFor(p.ineq())).isEqualTo(DualSgd.of(0.05));
            StepRecord first = opt.step(null);
            // x0 = 0: g = A 0 - b = (-3, -5, -0.5) -> lambda = max(0, 0.05 g) = 0; h = 0.5 -> 0.2 * 2 * 0.5
            assertThat(first.multiplier("ineq")).containsExactly(new double[] {0, 0, 0}, within(0.0));
            assertThat(first.multiplier("eq")).containsExactly(new double[] {0.2}, within(1e-15));
            for (int t = 1; t < 4000; t++) {
                opt.step(null);
            }
            KktSolver.Solution kkt = KktSolver.solve(ProjectionProblem.A_TARGET, ProjectionProblem.INEQ_A,
                    ProjectionProblem.INEQ_B, ProjectionProblem.EQ_C, ProjectionProblem.EQ_D);
            assertThat(p.x().toDoubleArray()).containsExactly(kkt.x(), within(1e-3));
            assertThat(p.ineq().multiplier().values()).containsExactly(kkt.lambda(), within(1e-3));
            assertThat(p.eq().multiplier().values()).containsExactly(kkt.mu(), within(1e-3));
        }
    }
}
