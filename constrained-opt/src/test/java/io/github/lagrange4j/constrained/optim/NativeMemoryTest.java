package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.formulation.AugmentedLagrangian;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 10,000 simultaneous steps (1,000 extragradient steps, which run two evaluations each) leave the number of live arrays under the managers flat. */
class NativeMemoryTest {

    @ParameterizedTest
    @CsvSource({"SIMULTANEOUS, 10000", "EXTRAGRADIENT, 1000"})
    void liveArrayCountStaysFlat(UpdateScheme scheme, int steps) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDManager system = m.getParentManager();
            ProjectionProblem p = new ProjectionProblem(m, true, true, AugmentedLagrangian.of(1.0), MultiplierKind.INDEXED);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(p)
                    .setPrimalOptimizer(ParameterOptimizer.of(adam, p.x()))
                    .setDualOptimizer(DualAdam.of(0.01))
                    .optScheme(scheme)
                    .build();
            for (int t = 0; t < 10; t++) {
                opt.step(null);
            }
            int live = m.getManagedArrays().size();
            int liveSystem = system.getManagedArrays().size();
            for (int t = 0; t < steps; t++) {
                opt.step(null);
            }
            assertThat(m.getManagedArrays()).hasSize(live);
            assertThat(system.getManagedArrays()).hasSize(liveSystem);
            // x, a, A, b, C, d; the two Adam moments of x are owned by the optimizer, detached from m
            assertThat(live).isEqualTo(6);
        }
    }
}
