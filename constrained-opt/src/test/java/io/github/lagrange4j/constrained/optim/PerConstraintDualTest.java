package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.formulation.QuadraticPenalty;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A constraint can have its own dual optimizer (its own step size), and a problem whose constraints have no
 * multiplier (penalties only) needs no dual optimizer at all.
 */
class PerConstraintDualTest {

    /** {@code min (x-2)^2 + (y-2)^2 s.t. x <= 1, y <= 1}; both constraints start violated by 1 at x = y = 2. */
    private static ConstrainedMinimizationProblem<Void> twoBounds(NDArray x, NDArray y, Constraint cx, Constraint cy) {
        return new ConstrainedMinimizationProblem<>() {
            @Override
            public CmpState computeCmpState(Void batch) {
                Map<Constraint, ConstraintState> observed = new LinkedHashMap<>();
                observed.put(cx, ConstraintState.of(x.sub(1)));
                observed.put(cy, ConstraintState.of(y.sub(1)));
                return new CmpState(x.sub(2).square().add(y.sub(2).square()), observed);
            }

            @Override
            public List<Constraint> constraints() {
                return List.of(cx, cy);
            }
        };
    }

    private static NDArray variable(NDManager m, double value) {
        NDArray v = m.create(value);
        v.setRequiresGradient(true);
        return v;
    }

    @Test
    void aConstraintWithItsOwnDualOptimizerTakesItsOwnStepAndBothReachTheKktPoint() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = variable(m, 2);
            NDArray y = variable(m, 2);
            Constraint cx = Constraint.inequality("x<=1", 1);
            Constraint cy = Constraint.inequality("y<=1", 1);
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(twoBounds(x, y, cx, cy))
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), Map.of("x", x, "y", y)))
                    .setDualOptimizer(DualSgd.of(0.1))
                    .optDualOptimizer(cy, DualSgd.of(0.4))
                    .build();

            opt.step(null);
            // first step: both violations are exactly 1, so lambda = step size
            assertThat(cx.multiplier().value(0)).isEqualTo(0.1);
            assertThat(cy.multiplier().value(0)).isEqualTo(0.4);
            for (int t = 0; t < 2000; t++) {
                opt.step(null);
            }
            // KKT: x* = y* = 1, lambda* = 2 for both
            assertThat(x.getDouble()).isCloseTo(1, within(1e-3));
            assertThat(y.getDouble()).isCloseTo(1, within(1e-3));
            assertThat(cx.multiplier().value(0)).isCloseTo(2, within(1e-3));
            assertThat(cy.multiplier().value(0)).isCloseTo(2, within(1e-3));
            assertThat(opt.dual().describe()).isEqualTo(DualSgd.of(0.1).describe() + "; y<=1=" + DualSgd.of(0.4).describe());
        }
    }

    @Test
    void aPenaltyOnlyProblemNeedsNoDualOptimizer() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = variable(m, 2);
            NDArray y = variable(m, 2);
            Constraint cx = Constraint.builder().setName("x<=1").setType(ConstraintType.INEQUALITY).setSize(1)
                    .optFormulation(QuadraticPenalty.of(10)).build();
            Constraint cy = Constraint.builder().setName("y<=1").setType(ConstraintType.INEQUALITY).setSize(1)
                    .optFormulation(QuadraticPenalty.of(2)).build();
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(twoBounds(x, y, cx, cy))
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.02f)).build(), Map.of("x", x, "y", y)))
                    .build();
            for (int t = 0; t < 2000; t++) {
                opt.step(null);
            }
            // min (x-2)^2 + c/2 max(0, x-1)^2  =>  2(x-2) + c(x-1) = 0  =>  x = (4 + c) / (2 + c)
            assertThat(x.getDouble()).isCloseTo(14.0 / 12, within(1e-6));
            assertThat(y.getDouble()).isCloseTo(6.0 / 4, within(1e-6));
            assertThat(opt.dual().describe()).isEqualTo("none");
        }
    }

    @Test
    void aConstraintWithAMultiplierButNoDualOptimizerIsRefusedNamingIt() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = variable(m, 2);
            NDArray y = variable(m, 2);
            Constraint cx = Constraint.inequality("x<=1", 1);
            Constraint cy = Constraint.inequality("y<=1", 1);
            ParameterOptimizer primal = ParameterOptimizer.of(
                    StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), Map.of("x", x, "y", y));

            assertThatThrownBy(() -> ConstrainedOptimizer.<Void>builder().setProblem(twoBounds(x, y, cx, cy))
                    .setPrimalOptimizer(primal).optDualOptimizer(cy, DualSgd.of(0.4)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("constraint 'x<=1' has a multiplier (Lagrangian formulation) and needs a dual"
                            + " optimizer: setDualOptimizer(..) for all constraints, or optDualOptimizer(constraint, ..)"
                            + " for it");
            Constraint other = Constraint.inequality("z<=1", 1);
            assertThatThrownBy(() -> ConstrainedOptimizer.<Void>builder().setProblem(twoBounds(x, y, cx, cy))
                    .setPrimalOptimizer(primal).setDualOptimizer(DualSgd.of(0.1)).optDualOptimizer(other,
                            DualSgd.of(0.4)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("optDualOptimizer names constraint 'z<=1', which the problem does not have (it has"
                            + " [x<=1, y<=1])");
        }
    }
}
