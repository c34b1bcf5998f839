package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.OptimismSchedule;
import io.github.lagrange4j.constrained.dual.OptimisticDual;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The new dual state survives a checkpoint bit for bit: a constraint's own optimistic dual optimizer
 * (its previous violation and scheduled step) and a relaxed constraint's slack; 600 steps = 300 + save
 * + load into fresh objects + 300.
 */
class DualExtensionsCheckpointTest {

    static ConstrainedOptimizer<Void> optimizer(ProjectionProblem p, UpdateScheme scheme, boolean relaxed) {
        ConstrainedOptimizerBuilder<Void> b = ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(
                        StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build(), p.x()))
                .setDualOptimizer(DualAdam.of(0.02))
                .optDualOptimizer(p.eq(), new OptimisticDual(DualSgd.of(0.05), new OptimismSchedule(1, 0.2, 400)))
                .optScheme(scheme);
        if (relaxed) {
            b.optRelaxation(p.ineq(), new Relaxation(4.0, 0.05));
        }
        return b.build();
    }

    static ProjectionProblem problem(NDManager m) {
        return new ProjectionProblem(m, true, true, Lagrangian.create(), MultiplierKind.DENSE);
    }

    @ParameterizedTest
    @EnumSource(value = UpdateScheme.class, names = {"SIMULTANEOUS", "EXTRAGRADIENT"})
    void sixHundredStepsEqualThreeHundredSaveLoadThreeHundred(UpdateScheme scheme) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ProjectionProblem straightProblem = problem(m);
            ConstrainedOptimizer<Void> straight = optimizer(straightProblem, scheme, true);
            for (int t = 0; t < 600; t++) {
                straight.step(null);
            }
            ProjectionProblem firstProblem = problem(m);
            ConstrainedOptimizer<Void> first = optimizer(firstProblem, scheme, true);
            for (int t = 0; t < 300; t++) {
                first.step(null);
            }
            byte[] checkpoint = OptimizerCheckpoint.toBytes(first);
            ProjectionProblem resumedProblem = problem(m);
            ConstrainedOptimizer<Void> resumed = optimizer(resumedProblem, scheme, true);
            OptimizerCheckpoint.fromBytes(resumed, checkpoint, m);
            for (int t = 0; t < 300; t++) {
                resumed.step(null);
            }
            assertThat(resumedProblem.x().toDoubleArray()).containsExactly(straightProblem.x().toDoubleArray());
            assertThat(resumed.slack(resumedProblem.ineq()).values())
                    .containsExactly(straight.slack(straightProblem.ineq()).values());
            assertThat(resumed.dualState(resumedProblem.eq())).isEqualTo(straight.dualState(straightProblem.eq()));
            assertThat(OptimizerCheckpoint.toBytes(resumed)).isEqualTo(OptimizerCheckpoint.toBytes(straight));
            // not trivial: the slack and the optimistic multiplier moved
            assertThat(java.util.Arrays.stream(straight.slack(straightProblem.ineq()).values()).max().getAsDouble())
                    .isGreaterThan(0.01);
            assertThat(straightProblem.eq().multiplier().values()[0]).isNotZero();
        }
    }

    @Test
    void refusesACheckpointWithoutTheSlackOfARelaxedConstraint() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            byte[] plain = OptimizerCheckpoint.toBytes(optimizer(problem(m), UpdateScheme.SIMULTANEOUS, false));
            ConstrainedOptimizer<Void> relaxed = optimizer(problem(m), UpdateScheme.SIMULTANEOUS, true);
            assertThatThrownBy(() -> OptimizerCheckpoint.fromBytes(relaxed, plain, m))
                    .isInstanceOf(IOException.class)
                    .hasMessage("checkpoint mismatch in slack presence of 'ineq': optimizer has true, checkpoint has false");
        }
    }
}
