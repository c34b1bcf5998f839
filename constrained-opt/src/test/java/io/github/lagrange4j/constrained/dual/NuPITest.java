package io.github.lagrange4j.constrained.dual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** nuPI: golden values and its two documented reductions. */
class NuPITest {

    static final double[] ERRORS = {1, -0.5, 2, 0, 3};

    static double[] run(DualOptimizer opt, double[] errors) {
        DualOptimizerState s = opt.init(1);
        double lambda = 0;
        double[] out = new double[errors.length];
        for (int t = 0; t < errors.length; t++) {
            lambda += opt.increments(s, new int[] {0}, new double[] {errors[t]})[0];
            out[t] = lambda;
        }
        return out;
    }

    @Test
    void matchesHandComputedValues() {
        // eta = 0.1, K_P = 2, K_I = 1, nu = 0.5, xi_{-1} = 0:
        // xi = 0.5, 0, 1, 0.5, 1.75; Delta = 0.1*(e + 2*(xi_t - xi_{t-1})) = 0.2, -0.15, 0.4, -0.1, 0.55
        double[] lambdas = run(new NuPI(0.1, 2, 1, 0.5), ERRORS);
        assertThat(lambdas).containsExactly(new double[] {0.2, 0.05, 0.45, 0.35, 0.9}, within(1e-12));
    }

    @Test
    void withProportionalGainZeroIsGradientAscent() {
        assertThat(run(new NuPI(0.1, 0, 1, 0), ERRORS))
                .containsExactly(run(DualSgd.of(0.1), ERRORS), within(1e-15));
    }

    @Test
    void withUnitGainsAndNuZeroIsOptimisticGradientAscent() {
        // lambda_{t+1} = lambda_t + eta (2 e_t - e_{t-1}), e_{-1} = 0
        double[] expected = new double[ERRORS.length];
        double lambda = 0;
        double previous = 0;
        for (int t = 0; t < ERRORS.length; t++) {
            lambda += 0.1 * (2 * ERRORS[t] - previous);
            previous = ERRORS[t];
            expected[t] = lambda;
        }
        assertThat(expected).containsExactly(new double[] {0.2, 0.0, 0.45, 0.25, 0.85}, within(1e-12));
        assertThat(run(new NuPI(0.1, 1, 1, 0), ERRORS)).containsExactly(expected, within(1e-12));
    }
}
