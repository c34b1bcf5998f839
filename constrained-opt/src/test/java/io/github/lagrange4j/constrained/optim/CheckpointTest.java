package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.formulation.AugmentedLagrangian;
import io.github.lagrange4j.constrained.formulation.MultiplicativePenaltyUpdater;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 2k steps equal 1k steps + save + load into fresh objects + 1k steps, bit for bit: primal values,
 * primal Adam state, multipliers, dual Adam state, growing penalty coefficients, step counter. Checkpoints of
 * the layout before the primal side saved its own state (version 2) still load; an unknown version is refused
 * naming it.
 */
class CheckpointTest {

    static ProjectionProblem problem(NDManager m) {
        return new ProjectionProblem(m, true, true,
                AugmentedLagrangian.of(0.5, new MultiplicativePenaltyUpdater(1.001, 1e-3, 4.0)),
                MultiplierKind.DENSE);
    }

    static ConstrainedOptimizer<Void> optimizer(ProjectionProblem p, UpdateScheme scheme) {
        StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        return ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(adam, p.x()))
                .setDualOptimizer(DualAdam.of(0.01))
                .optDualRestarts(true)
                .optScheme(scheme)
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = UpdateScheme.class, names = {"SIMULTANEOUS", "EXTRAGRADIENT"})
    void twoThousandStepsEqualOneThousandSaveLoadOneThousand(UpdateScheme scheme) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ProjectionProblem straightProblem = problem(m);
            ConstrainedOptimizer<Void> straight = optimizer(straightProblem, scheme);
            for (int t = 0; t < 2000; t++) {
                straight.step(null);
            }

            ProjectionProblem firstProblem = problem(m);
            ConstrainedOptimizer<Void> first = optimizer(firstProblem, scheme);
            for (int t = 0; t < 1000; t++) {
                first.step(null);
            }
            byte[] checkpoint = OptimizerCheckpoint.toBytes(first);

            ProjectionProblem resumedProblem = problem(m);
            ConstrainedOptimizer<Void> resumed = optimizer(resumedProblem, scheme);
            OptimizerCheckpoint.fromBytes(resumed, checkpoint, m);
            assertThat(resumed.stepCount()).isEqualTo(1000);
            StepRecord last = null;
            for (int t = 0; t < 1000; t++) {
                last = resumed.step(null);
            }

            assertThat(last.step()).isEqualTo(2000);
            assertThat(resumedProblem.x().toDoubleArray()).containsExactly(straightProblem.x().toDoubleArray());
            for (int i = 0; i < 2; i++) {
                Constraint a = straight.constraints().get(i);
                Constraint b = resumed.constraints().get(i);
                assertThat(b.multiplier().values()).containsExactly(a.multiplier().values());
                assertThat(b.penaltyCoefficient().values()).containsExactly(a.penaltyCoefficient().values());
                assertThat(resumed.dualState(b)).isEqualTo(straight.dualState(a));
            }
            // the run is not trivial: the penalty grew and the multipliers moved
            assertThat(straightProblem.eq().penaltyCoefficient().values()[0]).isGreaterThan(0.5);
            assertThat(straightProblem.ineq().multiplier().values()[0]).isGreaterThan(0.1);
            assertThat(OptimizerCheckpoint.toBytes(resumed)).isEqualTo(OptimizerCheckpoint.toBytes(straight));
        }
    }

    @Test
    void refusesACheckpointOfAnotherConfiguration() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            byte[] checkpoint = OptimizerCheckpoint.toBytes(optimizer(problem(m), UpdateScheme.SIMULTANEOUS));
            ProjectionProblem p = problem(m);
            ConstrainedOptimizer<Void> other = ConstrainedOptimizer.<Void>builder()
                    .setProblem(p)
                    .setPrimalOptimizer(ParameterOptimizer.of(StatefulAdam.builder().build(), p.x()))
                    .setDualOptimizer(DualSgd.of(0.01))
                    .optDualRestarts(true)
                    .build();
            assertThatThrownBy(() -> OptimizerCheckpoint.fromBytes(other, checkpoint, m))
                    .isInstanceOf(IOException.class)
                    .hasMessage("checkpoint mismatch in dualOptimizer: optimizer has "
                            + "DualSgd(lr=0.01, momentum=0.0), checkpoint has "
                            + "DualAdam(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8)");
        }
    }

    @Test
    void acceptsACheckpointWhoseDualOptimizerOnlyChangesItsStepSize() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ProjectionProblem saved = problem(m);
            ConstrainedOptimizer<Void> first = ConstrainedOptimizer.<Void>builder()
                    .setProblem(saved)
                    .setPrimalOptimizer(ParameterOptimizer.of(StatefulAdam.builder().build(), saved.x()))
                    .setDualOptimizer(DualSgd.of(0.5))
                    .build();
            for (int i = 0; i < 5; i++) {
                first.step(null);
            }
            byte[] checkpoint = OptimizerCheckpoint.toBytes(first);
            ProjectionProblem p = problem(m);
            ConstrainedOptimizer<Void> smaller = ConstrainedOptimizer.<Void>builder()
                    .setProblem(p)
                    .setPrimalOptimizer(ParameterOptimizer.of(StatefulAdam.builder().build(), p.x()))
                    .setDualOptimizer(DualSgd.of(0.01))
                    .build();
            OptimizerCheckpoint.fromBytes(smaller, checkpoint, m);
            assertThat(smaller.stepCount()).isEqualTo(5);
            assertThat(p.ineq().multiplier().values()).containsExactly(saved.ineq().multiplier().values());
        }
    }

    @Test
    void aVersion2CheckpointWhosePrimalBlockHadNoHeaderStillLoads() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ConstrainedOptimizer<Void> first = optimizer(problem(m), UpdateScheme.SIMULTANEOUS);
            for (int t = 0; t < 50; t++) {
                first.step(null);
            }
            // version 2: magic, 2, the dual state, then "true" and the parameter optimizer's state without header
            ByteArrayOutputStream primal = new ByteArrayOutputStream();
            first.primal().saveState(new DataOutputStream(primal));
            int header = 2 + "parameter-optimizer".length() + 4;
            ByteArrayOutputStream legacy = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(legacy);
            out.writeUTF("lagrange4j-constrained-optimizer");
            out.writeInt(2);
            OptimizerCheckpoint.saveDualState(first, out);
            out.writeBoolean(true);
            out.write(Arrays.copyOfRange(primal.toByteArray(), header, primal.size()));

            ConstrainedOptimizer<Void> resumed = optimizer(problem(m), UpdateScheme.SIMULTANEOUS);
            OptimizerCheckpoint.fromBytes(resumed, legacy.toByteArray(), m);

            assertThat(resumed.stepCount()).isEqualTo(50);
            assertThat(OptimizerCheckpoint.toBytes(resumed)).isEqualTo(OptimizerCheckpoint.toBytes(first));
        }
    }

    @Test
    void aCheckpointOfAnUnknownVersionIsRefusedNamingTheVersion() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("lagrange4j-constrained-optimizer");
        out.writeInt(4);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ConstrainedOptimizer<Void> optimizer = optimizer(problem(m), UpdateScheme.SIMULTANEOUS);
            assertThatThrownBy(() -> OptimizerCheckpoint.fromBytes(optimizer, bytes.toByteArray(), m))
                    .isInstanceOf(IOException.class)
                    .hasMessage("unsupported constrained-optimizer checkpoint version 4 (this build reads 1 to 3)");
        }
    }
}
