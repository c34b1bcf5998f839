package io.github.lagrange4j.constrained.dual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Golden values of the SGD (momentum) and Adam dual rules, per entry. */
class DualOptimizersTest {

    @Test
    void sgdWithMomentumAccumulatesAVelocity() {
        DualSgd sgd = new DualSgd(0.5, 0.9);
        DualOptimizerState s = sgd.init(2);
        // entry 1 only: m = 1, 1.9 + ... ; Delta = 0.5 m
        assertThat(sgd.increments(s, new int[] {1}, new double[] {1})).containsExactly(0.5);
        assertThat(sgd.increments(s, new int[] {1}, new double[] {1})).containsExactly(new double[] {0.95}, within(1e-15));
        assertThat(sgd.increments(s, new int[] {1}, new double[] {-2})).containsExactly(new double[] {-0.145}, within(1e-15));
        assertThat(s.value(0, 0)).isZero();
        assertThat(s.copyOfSteps()).containsExactly(0, 3);
    }

    @Test
    void adamFirstStepsAreSignLikeAndBiasCorrected() {
        DualAdam adam = new DualAdam(0.1, 0.9, 0.999, 1e-8);
        DualOptimizerState s = adam.init(1);
        // t=1: m = 0.1 g, v = 0.001 g^2, mHat = g, vHat = g^2 -> Delta = 0.1 g/(|g| + 1e-8)
        assertThat(adam.increments(s, new int[] {0}, new double[] {4})[0]).isCloseTo(0.1 * 4 / (4 + 1e-8), within(1e-15));
        // t=2, g=2: m = 0.9*0.4 + 0.2 = 0.56, v = 0.999*0.016 + 0.004 = 0.019984
        double mHat = 0.56 / (1 - 0.81);
        double vHat = 0.019984 / (1 - 0.999 * 0.999);
        assertThat(adam.increments(s, new int[] {0}, new double[] {2})[0])
                .isCloseTo(0.1 * mHat / (Math.sqrt(vHat) + 1e-8), within(1e-12));
        assertThat(s.copyOfSteps()).containsExactly(2);
    }
}
