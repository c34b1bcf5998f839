package io.github.lagrange4j.constrained.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The weight player: its stationary vector, projections and first updates against hand computations. */
class ProxyLagrangianStateTest {

    @Test
    void theStationaryVectorOfAHandMadeLeftStochasticMatrixIsExact() {
        // columns sum to 1; (M - I) q = 0, sum q = 1 solved by hand: q = (7, 13, 9) / 29
        double[][] m = {{0.5, 0.2, 0.1}, {0.3, 0.7, 0.2}, {0.2, 0.1, 0.7}};
        assertThat(ProxyLagrangianState.stationary(m))
                .containsExactly(new double[] {7 / 29.0, 13 / 29.0, 9 / 29.0}, within(1e-12));
    }

    @Test
    void theSimplexProjectionMatchesItsClosedForm() {
        assertThat(ProxyLagrangianState.projectOntoSimplex(new double[] {1, 0.5}))
                .containsExactly(new double[] {0.75, 0.25}, within(1e-15));
        assertThat(ProxyLagrangianState.projectOntoSimplex(new double[] {2, -1, 0.1}))
                .containsExactly(new double[] {1, 0, 0}, within(1e-15));
        assertThat(ProxyLagrangianState.projectOntoSimplex(new double[] {0.2, 0.3, 0.1}))
                .containsExactly(new double[] {0.3333333333333333, 0.43333333333333335, 0.23333333333333334},
                        within(1e-15));
    }

    @Test
    void tfcoDefaultsStartWithAlmostAllWeightOnTheObjectiveAndUpdateMultiplicatively() {
        ProxyLagrangianState s = new ProxyLagrangianState(ProxyLagrangianSettings.tfcoDefaults(1.0), 1);
        // d = 2, r = 1e-3: objective 1 - r/2, constraint r/2, in every column
        assertThat(s.distribution()).containsExactly(new double[] {0.9995, 0.0005}, within(1e-15));
        s.update(new double[] {0.5});
        // G = c q^T with c = (0, 0.5): row 1 of log M grows by 0.5 q_j; columns renormalised
        double[] q = {0.9995, 0.0005};
        double[][] expected = new double[2][2];
        for (int j = 0; j < 2; j++) {
            double a = 0.9995;
            double b = 0.0005 * Math.exp(0.5 * q[j]);
            expected[0][j] = a / (a + b);
            expected[1][j] = b / (a + b);
        }
        double[][] m = s.matrix();
        for (int i = 0; i < 2; i++) {
            assertThat(m[i]).containsExactly(expected[i], within(1e-15));
        }
        assertThat(s.distribution()).containsExactly(ProxyLagrangianState.stationary(expected), within(1e-15));
        // the floor: a large negative violation cannot push a weight below r / d
        for (int t = 0; t < 50; t++) {
            s.update(new double[] {-10});
        }
        assertThat(s.matrix()[1][0]).isCloseTo(0.0005, within(1e-12));
    }

    @Test
    void additiveUpdatesProjectEachColumnOntoTheSimplex() {
        ProxyLagrangianState s = new ProxyLagrangianState(ProxyLagrangianSettings.additive(1.0), 1);
        assertThat(s.distribution()).containsExactly(new double[] {1, 0}, within(1e-15));
        // q = (1, 0): G = (0, 0.5)^T (1, 0) -> M = [[1, 1], [0.5, 0]] -> column 0 projected to (0.75, 0.25)
        s.update(new double[] {0.5});
        assertThat(s.matrix()[0]).containsExactly(new double[] {0.75, 1}, within(1e-15));
        assertThat(s.matrix()[1]).containsExactly(new double[] {0.25, 0}, within(1e-15));
        // stationary: q0 = 0.75 q0 + q1 -> q = (0.8, 0.2)
        assertThat(s.distribution()).containsExactly(new double[] {0.8, 0.2}, within(1e-12));
    }

    @Test
    void externalRegretKeepsTheDistributionItself() {
        ProxyLagrangianState s = new ProxyLagrangianState(
                new ProxyLagrangianSettings(RegretType.EXTERNAL, UpdateType.ADDITIVE, 0.5, 0, 0.4), 1);
        // initial: (1 - 0.4/2, 0.4/2) = (0.8, 0.2); + 0.5 (0, 0.6) = (0.8, 0.5) -> projected (0.65, 0.35)
        assertThat(s.distribution()).containsExactly(new double[] {0.8, 0.2}, within(1e-15));
        s.update(new double[] {0.6});
        assertThat(s.distribution()).containsExactly(new double[] {0.65, 0.35}, within(1e-15));
    }

    @Test
    void invalidSettingsAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.MULTIPLICATIVE, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minimumRadius must be in (0, 1) for multiplicative updates, got 0.0");
        assertThatThrownBy(() -> new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.MULTIPLICATIVE, 1, 0.1, 0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialRadius must be in [minimumRadius, 1] = [0.1, 1], got 0.01");
        assertThatThrownBy(() -> new ProxyLagrangianSettings(RegretType.SWAP, UpdateType.ADDITIVE, 1, 0.1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minimumRadius must be 0 for additive updates, got 0.1");
        assertThatThrownBy(() -> ProxyLagrangianSettings.tfcoDefaults(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("learningRate must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> new ProxyLagrangianState(ProxyLagrangianSettings.tfcoDefaults(1), 2).update(new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2 constraint violations, got 1");
    }
}
