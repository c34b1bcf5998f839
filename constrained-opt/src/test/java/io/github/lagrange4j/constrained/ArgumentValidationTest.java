package io.github.lagrange4j.constrained;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.NuPI;
import io.github.lagrange4j.constrained.dual.OptimismSchedule;
import io.github.lagrange4j.constrained.dual.OptimisticDual;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.formulation.AdditivePenaltyUpdater;
import io.github.lagrange4j.constrained.formulation.AugmentedLagrangian;
import io.github.lagrange4j.constrained.formulation.MultiplicativePenaltyUpdater;
import io.github.lagrange4j.constrained.formulation.QuadraticPenalty;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid setting fails fast with an IllegalArgumentException naming the argument and its range. */
class ArgumentValidationTest {

    static Arguments rejects(ThrowingCallable call, String message) {
        return Arguments.of(call, message);
    }

    static Stream<Arguments> invalidArguments() {
        return Stream.of(
                rejects(() -> AugmentedLagrangian.of(0), "penaltyCoefficient must be finite and > 0, got 0.0"),
                rejects(() -> QuadraticPenalty.of(-1), "penaltyCoefficient must be finite and > 0, got -1.0"),
                rejects(() -> AugmentedLagrangian.of(Double.NaN), "penaltyCoefficient must be finite and > 0, got NaN"),
                rejects(() -> new MultiplicativePenaltyUpdater(1.0, 0, 10), "growthFactor must be finite and > 1, got 1.0"),
                rejects(() -> new MultiplicativePenaltyUpdater(2, -1, 10), "violationTolerance must be finite and >= 0, got -1.0"),
                rejects(() -> new AdditivePenaltyUpdater(0, 0, 10), "increment must be finite and > 0, got 0.0"),
                rejects(() -> DualSgd.of(0), "learningRate must be finite and > 0, got 0.0"),
                rejects(() -> new DualSgd(0.1, 1.0), "momentum must be in [0, 1), got 1.0"),
                rejects(() -> new DualAdam(0.1, 0.9, 1.5, 1e-8), "beta2 must be in [0, 1), got 1.5"),
                rejects(() -> new DualAdam(0.1, 0.9, 0.999, 0), "epsilon must be finite and > 0, got 0.0"),
                rejects(() -> new NuPI(0.1, -1, 1, 0), "kP must be finite and >= 0, got -1.0"),
                rejects(() -> new NuPI(0.1, 0, 0, 0), "kP and kI must not both be 0"),
                rejects(() -> new NuPI(0.1, 1, 1, 1), "nu must be in [0, 1), got 1.0"),
                rejects(() -> Constraint.inequality("c", 0), "size must be >= 1, got 0"),
                rejects(() -> Constraint.inequality(" ", 1), "name must be a non-blank string"),
                rejects(() -> Constraint.builder().setName("c").setType(ConstraintType.INEQUALITY)
                        .optInitialMultiplier(-0.5).build(), "initialMultiplier of an inequality must be >= 0, got -0.5"),
                rejects(() -> Constraint.builder().setName("c").setType(ConstraintType.EQUALITY).setSize(2)
                        .optInitialMultipliers(1, 2, 3).build(), "initialMultipliers must have size 2, got 3"),
                rejects(() -> ConstrainedOptimizer.<Void>builder().build(), "problem must not be null"),
                rejects(() -> new Relaxation(0, 0.1), "cost must be finite and > 0, got 0.0"),
                rejects(() -> new Relaxation(1, -0.1), "slack learningRate must be finite and > 0, got -0.1"),
                rejects(() -> new OptimismSchedule(-1, 0, 10), "initial optimism must be finite and >= 0, got -1.0"),
                rejects(() -> new OptimismSchedule(1, 0, -1), "rampSteps must be >= 0, got -1"),
                rejects(() -> new OptimisticDual(null, OptimismSchedule.constant(1)), "inner dual optimizer must not be null"),
                rejects(() -> FeasibilityTolerance.of(-0.1), "tolerance must be finite and >= 0, got -0.1"),
                rejects(() -> FeasibilityTolerance.of(0).with("c", Double.NaN), "tolerance must be finite and >= 0, got NaN"),
                rejects(() -> ConstrainedOptimizer.<Void>builder().optRelaxation(Constraint.inequality("c", 1), null),
                        "relaxation of 'c' must not be null"),
                rejects(() -> ConstrainedOptimizer.<Void>builder().setDualOptimizer(DualSgd.of(1)).optScheme(null),
                        "scheme must not be null"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidArguments")
    void rejectsWithAMessageNamingTheArgument(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
