package io.github.lagrange4j.constrained.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.KktSolver;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.ScalarProblem;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy-Lagrangian on {@code min (x-2)^2 s.t. x - 1 <= 0}: its equilibrium has {@code x* = 1} and
 * weights with {@code q_1 / q_0 = lambda* = 2}, i.e. {@code q* = (1/3, 2/3)} ({@code q_0 2(x-2) + q_1 =
 * 0} at {@code x = 1}).
 */
class ProxyLagrangianOptimizerTest {

    static ProxyLagrangianOptimizer<Void> optimizer(ScalarProblem p, ProxyLagrangianSettings settings) {
        return new ProxyLagrangianOptimizer<>(p, ParameterOptimizer.of(
                StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), p.x()), settings);
    }

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void reachesTheEquilibriumWithTfcoDefaults(String engine) {
        try (NDManager m = Engines.manager(engine)) {
            ScalarProblem p = new ScalarProblem(m, Constraint.inequality("cap", 1));
            ProxyLagrangianOptimizer<Void> opt = optimizer(p, ProxyLagrangianSettings.tfcoDefaults(0.5));
            StepRecord first = opt.step(null);
            assertThat(first.multiplier("cap")).containsExactly(new double[] {0.0005}, within(1e-15));
            assertThat(first.violation("cap")).containsExactly(new double[] {-1.0}, within(0.0));
            for (int t = 1; t < 3000; t++) {
                opt.step(null);
            }
            assertThat(p.x().toDoubleArray()[0]).isCloseTo(1.0, within(1e-9));
            assertThat(opt.weights()).containsExactly(new double[] {1 / 3.0, 2 / 3.0}, within(1e-9));
        }
    }

    @Test
    void reachesTheKktMultipliersOfTheProjectionProblemAsWeightRatios() {
        try (NDManager m = Engines.manager("PyTorch")) {
            for (ProxyLagrangianSettings settings : new ProxyLagrangianSettings[] {
                    ProxyLagrangianSettings.tfcoDefaults(0.5), ProxyLagrangianSettings.additive(0.05)}) {
                ProjectionProblem p = new ProjectionProblem(m, true, false, Lagrangian.create(), MultiplierKind.DENSE);
                ProxyLagrangianOptimizer<Void> opt = new ProxyLagrangianOptimizer<>(p, ParameterOptimizer.of(
                        StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.02f)).build(), p.x()), settings);
                for (int t = 0; t < 20000; t++) {
                    opt.step(null);
                }
                KktSolver.Solution kkt = KktSolver.solve(ProjectionProblem.A_TARGET, ProjectionProblem.INEQ_A,
                        ProjectionProblem.INEQ_B, new double[0][], new double[0]);
                double[] q = opt.weights();
                double[] ratios = {q[1] / q[0], q[2] / q[0], q[3] / q[0]};
                assertThat(p.x().toDoubleArray()).as(settings.toString()).containsExactly(kkt.x(), within(1e-3));
                // the inactive constraint keeps the smallest weight the update allows (TFCO's floor r/d, or 0)
                assertThat(ratios[0]).as(settings.toString()).isCloseTo(kkt.lambda()[0], within(1e-2));
                assertThat(ratios[2]).as(settings.toString()).isCloseTo(kkt.lambda()[2], within(1e-2));
                assertThat(ratios[1]).as(settings.toString()).isLessThan(1e-3);
            }
        }
    }

    @Test
    void sixHundredStepsEqualThreeHundredSaveLoadThreeHundred() throws IOException {
        try (NDManager m = Engines.manager("PyTorch")) {
            ScalarProblem straightProblem = new ScalarProblem(m, Constraint.inequality("cap", 1));
            ProxyLagrangianOptimizer<Void> straight = adam(straightProblem);
            for (int t = 0; t < 600; t++) {
                straight.step(null);
            }
            ScalarProblem firstProblem = new ScalarProblem(m, Constraint.inequality("cap", 1));
            ProxyLagrangianOptimizer<Void> first = adam(firstProblem);
            for (int t = 0; t < 300; t++) {
                first.step(null);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.save(new DataOutputStream(bytes));
            ScalarProblem resumedProblem = new ScalarProblem(m, Constraint.inequality("cap", 1));
            ProxyLagrangianOptimizer<Void> resumed = adam(resumedProblem);
            resumed.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m);
            assertThat(resumed.stepCount()).isEqualTo(300);
            for (int t = 0; t < 300; t++) {
                resumed.step(null);
            }
            assertThat(resumedProblem.x().toDoubleArray()).containsExactly(straightProblem.x().toDoubleArray());
            assertThat(resumed.weights()).containsExactly(straight.weights());
            for (int i = 0; i < 2; i++) {
                assertThat(resumed.state().matrix()[i]).containsExactly(straight.state().matrix()[i]);
            }
            assertThat(straight.weights()[1]).isGreaterThan(0.1);
        }
    }

    @Test
    void rejectsEqualityConstraints() {
        try (NDManager m = Engines.manager("PyTorch")) {
            ScalarProblem p = new ScalarProblem(m, Constraint.equality("level", 1));
            assertThatThrownBy(() -> optimizer(p, ProxyLagrangianSettings.tfcoDefaults(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the proxy-Lagrangian takes inequality constraints only; 'level' is an equality"
                            + " (write it as two inequalities)");
        }
    }

    static ProxyLagrangianOptimizer<Void> adam(ScalarProblem p) {
        return new ProxyLagrangianOptimizer<>(p, ParameterOptimizer.of(
                StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build(), p.x()),
                new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.MULTIPLICATIVE, 0.3, 1e-3, 0.1));
    }
}
