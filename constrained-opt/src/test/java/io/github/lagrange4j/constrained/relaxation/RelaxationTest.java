package io.github.lagrange4j.constrained.relaxation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.ScalarProblem;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.feasibility.ConstraintVerdict;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A relaxed constraint reaches the exact resilient solution: {@code min (x-2)^2 + (alpha/2) u^2 s.t.
 * x - 1 <= u}; stationarity {@code 2(x-2) + lambda = 0, alpha u = lambda, x = 1 + u} gives {@code u* =
 * 2/(alpha+2)}; with {@code alpha = 2}: {@code x* = 1.5, u* = 0.5, lambda* = 1}.
 */
class RelaxationTest {

    static ConstrainedOptimizer<Void> optimizer(ScalarProblem p, Relaxation r) {
        return ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(
                        StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build(), p.x()))
                .setDualOptimizer(DualSgd.of(0.1))
                .optRelaxation(p.constraint(), r)
                .build();
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void reachesTheExactResilientSolutionAndReportsTheAchievedSlack(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            ScalarProblem p = new ScalarProblem(m, Constraint.inequality("cap", 1));
            ConstrainedOptimizer<Void> opt = optimizer(p, new Relaxation(2.0, 0.1));
            for (int t = 0; t < 3000; t++) {
                opt.step(null);
            }
            assertThat(p.x().toDoubleArray()[0]).isCloseTo(1.5, within(1e-6));
            assertThat(opt.slack(p.constraint()).values()[0]).isCloseTo(0.5, within(1e-6));
            assertThat(p.constraint().multiplier().values()[0]).isCloseTo(1.0, within(1e-6));
            FeasibilityReport report = opt.feasibility(null, FeasibilityTolerance.of(1e-4));
            ConstraintVerdict v = report.verdict("cap");
            assertThat(v.strictValue()).isCloseTo(0.5, within(1e-6)); // the strict g = x - 1 itself
            assertThat(v.slack()).isCloseTo(0.5, within(1e-6));
            assertThat(v.met()).isTrue();
            assertThat(report.step()).isEqualTo(3000);
        }
    }

    @Test
    void firstStepsMatchHandComputedValues() {
        try (NDManager m = Engines.manager("PyTorch")) {
            // x0 = 0 and lambda0 = 1, so that the slack moves on the first step
            ScalarProblem p = new ScalarProblem(m, Constraint.builder().setName("cap")
                    .setType(io.github.lagrange4j.constrained.constraint.ConstraintType.INEQUALITY)
                    .optInitialMultiplier(1.0).build());
            ConstrainedOptimizer<Void> opt = optimizer(p, new Relaxation(2.0, 0.5));
            // step 1: g = x - 1 = -1, u = 0, lambda = 1: lambda <- max(0, 1 + 0.1 (-1 - 0)) = 0.9;
            //         u <- max(0, 0 - 0.5 (2*0 - 1)) = 0.5 (with the multiplier of the start of the step)
            StepRecord r1 = opt.step(null);
            assertThat(r1.violation("cap")).containsExactly(new double[] {-1.0}, within(1e-15));
            assertThat(r1.multiplier("cap")).containsExactly(new double[] {0.9}, within(1e-15));
            assertThat(opt.slack(p.constraint()).values()).containsExactly(new double[] {0.5}, within(1e-15));
            // x1 = 0 - 0.1 (2 (0 - 2) + 1) = 0.3; step 2: g - u = -0.7 - 0.5 = -1.2 -> lambda = 0.78;
            //         u <- 0.5 - 0.5 (2*0.5 - 0.9) = 0.45
            StepRecord r2 = opt.step(null);
            assertThat(r2.violation("cap")).containsExactly(new double[] {-1.2}, within(1e-7));
            assertThat(r2.multiplier("cap")).containsExactly(new double[] {0.78}, within(1e-7));
            assertThat(opt.slack(p.constraint()).values()).containsExactly(new double[] {0.45}, within(1e-12));
        }
    }
}
