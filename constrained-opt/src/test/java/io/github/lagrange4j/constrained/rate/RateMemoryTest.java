package io.github.lagrange4j.constrained.rate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.OptimismSchedule;
import io.github.lagrange4j.constrained.dual.OptimisticDual;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianOptimizer;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianSettings;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A rate-constrained logistic model (recall floor with the hinge proxy, relaxed, optimistic dual), its
 * feasibility report, and the same problem under the proxy-Lagrangian: 500 steps leave the number of live
 * arrays under the managers flat.
 */
class RateMemoryTest {

    static final class RecallFloor implements ConstrainedMinimizationProblem<Void> {
        final NDArray w;
        final NDArray x;
        final NDArray y;
        final Constraint recall = Constraint.inequality("recall", 1);

        RecallFloor(NDManager m) {
            Random rng = new Random(1);
            float[] features = new float[200 * 3];
            float[] labels = new float[200];
            for (int i = 0; i < 200; i++) {
                labels[i] = rng.nextBoolean() ? 1 : 0;
                features[3 * i] = (float) (rng.nextGaussian() + labels[i]);
                features[3 * i + 1] = (float) rng.nextGaussian();
                features[3 * i + 2] = 1;
            }
            x = m.create(features, new Shape(200, 3));
            y = m.create(labels);
            w = m.zeros(new Shape(3));
            w.setRequiresGradient(true);
        }

        @Override
        public CmpState computeCmpState(Void batch) {
            NDArray scores = x.matMul(w);
            NDArray loss = scores.neg().mul(y.mul(2).sub(1)).exp().add(1).log().mean();
            RateContext c = RateContext.binary(scores, y);
            return CmpState.of(loss, recall, RateConstraints.atLeast(Rates.truePositiveRate(c), 0.95, RateProxy.HINGE));
        }

        @Override
        public List<Constraint> constraints() {
            return List.of(recall);
        }
    }

    @Test
    void rateConstrainedStepsLeaveNoArrayBehind() {
        try (NDManager m = Engines.manager("PyTorch")) {
            RecallFloor p = new RecallFloor(m);
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(p)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), p.w))
                    .setDualOptimizer(new OptimisticDual(DualSgd.of(0.5), OptimismSchedule.constant(1)))
                    .optRelaxation(p.recall, new Relaxation(10, 0.5))
                    .build();
            for (int t = 0; t < 10; t++) {
                opt.step(null);
                opt.feasibility(null, FeasibilityTolerance.of(0.01));
            }
            int live = m.getManagedArrays().size();
            int liveSystem = m.getParentManager().getManagedArrays().size();
            for (int t = 0; t < 500; t++) {
                opt.step(null);
                opt.feasibility(null, FeasibilityTolerance.of(0.01));
            }
            assertThat(m.getManagedArrays()).hasSize(live);
            assertThat(m.getParentManager().getManagedArrays()).hasSize(liveSystem);
            assertThat(opt.slack(p.recall).value(0)).isGreaterThan(0);
        }
    }

    @Test
    void proxyLagrangianStepsLeaveNoArrayBehind() {
        try (NDManager m = Engines.manager("PyTorch")) {
            RecallFloor p = new RecallFloor(m);
            ProxyLagrangianOptimizer<Void> proxy = new ProxyLagrangianOptimizer<>(p, ParameterOptimizer.of(
                    StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), p.w),
                    ProxyLagrangianSettings.tfcoDefaults(0.5));
            for (int t = 0; t < 10; t++) {
                proxy.step(null);
            }
            int live = m.getManagedArrays().size();
            int liveSystem = m.getParentManager().getManagedArrays().size();
            for (int t = 0; t < 500; t++) {
                proxy.step(null);
            }
            assertThat(m.getManagedArrays()).hasSize(live);
            assertThat(m.getParentManager().getManagedArrays()).hasSize(liveSystem);
            assertThat(proxy.weights()[1]).isGreaterThan(0.01);
        }
    }
}
