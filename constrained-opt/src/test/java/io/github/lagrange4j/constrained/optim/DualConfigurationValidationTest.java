package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.ScalarProblem;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import org.junit.jupiter.api.Test;

/** Per-constraint settings must name a constraint of the problem; only inequalities can be relaxed. */
class DualConfigurationValidationTest {

    static ConstrainedOptimizerBuilder<Void> builder(ScalarProblem p) {
        return ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(StatefulSgd.builder().build(), p.x()))
                .setDualOptimizer(DualSgd.of(0.1));
    }

    @Test
    void rejectsSettingsForConstraintsTheProblemDoesNotList() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ScalarProblem p = new ScalarProblem(m, Constraint.inequality("cap", 1));
            assertThatThrownBy(() -> builder(p).optDualOptimizer(Constraint.inequality("other", 1), DualSgd.of(1)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("optDualOptimizer names constraint 'other', which the problem does not have (it has [cap])");
            assertThatThrownBy(() -> builder(p).optRelaxation(Constraint.inequality("other", 1), new Relaxation(1, 1)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("relaxations names constraint 'other', which problem.constraints() does not list");
        }
    }

    @Test
    void rejectsTheRelaxationOfAnEquality() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ScalarProblem p = new ScalarProblem(m, Constraint.equality("level", 1));
            assertThatThrownBy(() -> builder(p).optRelaxation(p.constraint(), new Relaxation(1, 1)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("relaxation of 'level' needs an INEQUALITY constraint with multipliers");
        }
    }
}
