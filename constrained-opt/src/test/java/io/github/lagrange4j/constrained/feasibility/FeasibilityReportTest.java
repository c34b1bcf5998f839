package io.github.lagrange4j.constrained.feasibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-constraint verdict: {@code min (x1-2)^2 + (x2+1)^2 s.t. x1 - 1 <= 0 (active), x2 = 0.5};
 * the KKT point is {@code x = (1, 0.5)}. Before any step both constraints fail (the equality by
 * 0.5); after the run both are met, and the verdict uses the strict violation, not the proxy.
 */
class FeasibilityReportTest {

    static final class TwoConstraints implements ConstrainedMinimizationProblem<Void> {
        final NDArray x;
        final Constraint cap = Constraint.inequality("cap", 1);
        final Constraint level = Constraint.equality("level", 1);
        final boolean withProxy;

        TwoConstraints(NDManager m, boolean withProxy) {
            x = m.create(new double[] {3, 0}, new Shape(2));
            x.setRequiresGradient(true);
            this.withProxy = withProxy;
        }

        @Override
        public CmpState computeCmpState(Void batch) {
            NDArray x1 = x.get(0);
            NDArray x2 = x.get(1);
            NDArray loss = x1.sub(2).square().add(x2.add(1).square());
            Map<Constraint, ConstraintState> states = new LinkedHashMap<>();
            ConstraintState capState = ConstraintState.of(x1.sub(1));
            if (withProxy) {
                // strict: the indicator that x1 > 1.5, a step function the primal cannot differentiate
                capState = capState.withStrictViolation(x1.gt(1.5).toType(DataType.FLOAT64, false));
            }
            states.put(cap, capState);
            states.put(level, ConstraintState.of(x2.sub(0.5)));
            return new CmpState(loss, states);
        }

        @Override
        public List<Constraint> constraints() {
            return List.of(cap, level);
        }
    }

    static ConstrainedOptimizer<Void> optimizer(TwoConstraints p) {
        return ConstrainedOptimizer.<Void>builder()
                .setProblem(p)
                .setPrimalOptimizer(ParameterOptimizer.of(
                        StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build(), p.x))
                .setDualOptimizer(DualSgd.of(0.1))
                .build();
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void judgesEveryConstraintBeforeAndAfterTheRun(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            TwoConstraints p = new TwoConstraints(m, false);
            ConstrainedOptimizer<Void> opt = optimizer(p);
            FeasibilityReport before = opt.feasibility(null, FeasibilityTolerance.of(1e-3));
            assertThat(before.step()).isZero();
            assertThat(before.allMet()).isFalse();
            assertThat(before.verdict("cap").strictValue()).isEqualTo(2.0);
            assertThat(before.verdict("level").strictValue()).isEqualTo(-0.5);
            assertThat(before.unmet()).extracting(ConstraintVerdict::constraint).containsExactly("cap", "level");
            assertThat(before.format(5)).isEqualTo(String.join(System.lineSeparator(),
                    "feasibility after step 0: 0/2 met",
                    "  cap[0] g=2.00000 tol=0.001 NOT MET",
                    "  level[0] h=-0.500000 tol=0.001 NOT MET"));
            for (int t = 0; t < 2000; t++) {
                opt.step(null);
            }
            FeasibilityReport after = opt.feasibility(null, FeasibilityTolerance.of(1e-3));
            assertThat(after.allMet()).isTrue();
            assertThat(after.step()).isEqualTo(2000);
            assertThat(after.verdict("cap").strictValue()).isCloseTo(0.0, within(1e-4));
            assertThat(after.verdict("level").strictValue()).isCloseTo(0.0, within(1e-4));
            // a zero tolerance on the equality is judged on its own
            FeasibilityReport strict = opt.feasibility(null, FeasibilityTolerance.of(1e-3).with("level", 0));
            assertThat(strict.verdict("level").tolerance()).isZero();
            assertThat(strict.verdict("cap").tolerance()).isEqualTo(1e-3);
        }
    }

    @Test
    void judgesTheStrictViolationNotTheProxy() {
        try (NDManager m = Engines.manager("PyTorch")) {
            TwoConstraints p = new TwoConstraints(m, true);
            ConstrainedOptimizer<Void> opt = optimizer(p);
            // x1 = 3: the proxy x1 - 1 = 2, the strict indicator [x1 > 1.5] = 1
            assertThat(opt.feasibility(null, FeasibilityTolerance.of(0)).verdict("cap").strictValue()).isEqualTo(1.0);
            // x1 = 1.4: proxy 0.4 > 0, indicator 0: met
            try (NDArray moved = m.create(new double[] {1.4, 0.5})) {
                ParameterValues.assign(p.x, moved);
            }
            ConstraintVerdict v = opt.feasibility(null, FeasibilityTolerance.of(0)).verdict("cap");
            assertThat(v.strictValue()).isZero();
            assertThat(v.met()).isTrue();
        }
    }

    @Test
    void aVerdictAppliesTheSlackToInequalitiesOnly() {
        assertThat(new ConstraintVerdict("c", 0, ConstraintType.INEQUALITY, 0.3, 0.25, 0.05).met()).isTrue();
        assertThat(new ConstraintVerdict("c", 0, ConstraintType.INEQUALITY, 0.3, 0.2, 0.05).met()).isFalse();
        assertThat(new ConstraintVerdict("c", 0, ConstraintType.EQUALITY, -0.04, 0, 0.05).met()).isTrue();
        assertThat(new ConstraintVerdict("c", 0, ConstraintType.INEQUALITY, Double.NaN, 0, 1).met()).isFalse();
    }
}
