package io.github.lagrange4j.constrained.dual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Optimistic dual ascent: golden values of a ramped schedule and the reduction to nuPI. */
class OptimisticDualTest {

    @Test
    void aLinearRampGivesItsCoefficientsUpdateByUpdate() {
        OptimismSchedule ramp = new OptimismSchedule(0.8, 0, 4);
        assertThat(new double[] {ramp.coefficient(0), ramp.coefficient(1), ramp.coefficient(2),
                ramp.coefficient(3), ramp.coefficient(4), ramp.coefficient(100)})
                .containsExactly(new double[] {0.8, 0.6, 0.4, 0.2, 0, 0}, within(1e-15));
        assertThat(OptimismSchedule.constant(0.3).coefficient(7)).isEqualTo(0.3);
    }

    @Test
    void matchesHandComputedValuesWithARampedCoefficient() {
        // d' = (1 + w_t) d_t - w_t d_{t-1}, d_{-1} = 0, w = 0.8, 0.6, 0.4:
        // d' = 1.8, 1.6*2 - 0.6*1 = 2.6, 1.4*3 - 0.4*2 = 3.4; eta = 0.1
        double[] lambdas = NuPITest.run(
                new OptimisticDual(DualSgd.of(0.1), new OptimismSchedule(0.8, 0, 4)), new double[] {1, 2, 3});
        assertThat(lambdas).containsExactly(new double[] {0.18, 0.44, 0.78}, within(1e-12));
    }

    @Test
    void withConstantUnitOptimismAndSgdIsNuPiWithUnitGains() {
        assertThat(NuPITest.run(new OptimisticDual(DualSgd.of(0.1), OptimismSchedule.constant(1)), NuPITest.ERRORS))
                .containsExactly(NuPITest.run(new NuPI(0.1, 1, 1, 0), NuPITest.ERRORS), within(1e-12));
    }

    @Test
    void withZeroOptimismIsTheInnerOptimizerAndKeepsItsStateInFront() {
        DualOptimizer adam = DualAdam.of(0.05);
        assertThat(NuPITest.run(new OptimisticDual(adam, OptimismSchedule.constant(0)), NuPITest.ERRORS))
                .containsExactly(NuPITest.run(adam, NuPITest.ERRORS), within(0.0));
        DualOptimizerState s = new OptimisticDual(adam, OptimismSchedule.constant(0.5)).init(3);
        assertThat(s.numBuffers()).isEqualTo(adam.init(3).numBuffers() + 1);
    }
}
