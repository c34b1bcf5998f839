package io.github.lagrange4j.constrained.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The best single candidate and the optimal distribution over candidates, checked against a closed
 * form and against the same two linear programs solved independently by vertex enumeration.
 */
class CandidateSelectionTest {

    static Candidate c(double f, double... g) {
        return new Candidate(f, g);
    }

    @Test
    void mixesAFeasibleAndAnInfeasibleCandidateAsTheClosedFormSays() {
        // A (f=1, g=-0.5), B (f=0, g=0.5), C (f=0.5, g=0.2): mixing A and B, p_B <= 0.5 -> E f = 0.5;
        // A and C: p_C <= 0.5/0.7 -> E f = 0.643; A alone: 1
        List<Candidate> cs = List.of(c(1, -0.5), c(0, 0.5), c(0.5, 0.2));
        assertThat(CandidateSelection.bestDistribution(cs)).containsExactly(new double[] {0.5, 0.5, 0}, within(1e-9));
        assertThat(CandidateSelection.bestIndex(cs)).isZero();
    }

    @Test
    void theBestIndexRanksByViolationThenByObjective() {
        // two feasible candidates (1 and 2): the smaller objective wins
        assertThat(CandidateSelection.bestIndex(List.of(c(3, 0.2, -1), c(5, -0.1, 0), c(4, -0.3, -0.2)))).isEqualTo(2);
        // nobody feasible: the smallest largest violation wins, whatever its objective
        assertThat(CandidateSelection.bestIndex(List.of(c(1, 0.3, 0.1), c(7, 0.2, 0.2), c(2, 0.25, 0)))).isEqualTo(1);
        // ties in violation go to the smaller objective, then to the earliest
        assertThat(CandidateSelection.bestIndex(List.of(c(2, -1), c(1, 0), c(1, -3)))).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void matchesTwoLinearProgramsSolvedByVertexEnumeration(long seed) {
        Random rng = new Random(seed);
        int n = 7;
        int m = 2;
        List<Candidate> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // seeds 5 and 6: every candidate violates something, so eps* > 0
            double offset = seed >= 5 ? 0.6 : 0;
            cs.add(c(rng.nextDouble(), rng.nextDouble() - 0.5 + offset, rng.nextDouble() - 0.5 + offset * (i % 2)));
        }
        double[] p = CandidateSelection.bestDistribution(cs);

        // LP 1 independently: variables (p, eps), min eps s.t. G p - eps <= 0, -p <= 0, sum p = 1
        double[][] a1 = new double[m + n][n + 1];
        double[] b1 = new double[m + n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                a1[j][i] = cs.get(i).constraints()[j];
            }
            a1[j][n] = -1;
        }
        for (int i = 0; i < n; i++) {
            a1[m + i][i] = -1;
        }
        double[] sum1 = new double[n + 1];
        java.util.Arrays.fill(sum1, 0, n, 1);
        double[] cost1 = new double[n + 1];
        cost1[n] = 1;
        double eps = Math.max(0, VertexEnumeration.minimise(cost1, a1, b1, new double[][] {sum1}, new double[] {1})[n]);
        // LP 2: min f . p s.t. G p <= eps, -p <= 0, sum p = 1
        double[][] a2 = new double[m + n][n];
        double[] b2 = new double[m + n];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                a2[j][i] = cs.get(i).constraints()[j];
            }
            b2[j] = eps;
        }
        for (int i = 0; i < n; i++) {
            a2[m + i][i] = -1;
        }
        double[] f = new double[n];
        double[] ones = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = cs.get(i).objective();
            ones[i] = 1;
        }
        double[] q = VertexEnumeration.minimise(f, a2, b2, new double[][] {ones}, new double[] {1});

        if (seed >= 5) {
            assertThat(eps).as("nothing is feasible, so eps* > 0").isGreaterThan(0);
        } else {
            assertThat(eps).as("a feasible mixture exists").isZero();
        }
        assertThat(VertexEnumeration.dot(f, p)).isCloseTo(VertexEnumeration.dot(f, q), within(1e-7));
        assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1, within(1e-12));
        assertThat(java.util.Arrays.stream(p).filter(x -> x > 1e-12).count()).isLessThanOrEqualTo(m + 1);
        for (int j = 0; j < m; j++) {
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += p[i] * cs.get(i).constraints()[j];
            }
            assertThat(expected).isLessThanOrEqualTo(eps + 1e-7);
        }
    }

    @Test
    void theHistorySavesAndRestoresItsCandidatesExactly() throws IOException {
        CandidateHistory h = new CandidateHistory();
        h.add(c(1, -0.5));
        h.add(c(0, 0.5));
        h.add(c(Math.PI / 7, 0.2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.save(new DataOutputStream(bytes));
        CandidateHistory restored = new CandidateHistory();
        restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(restored.candidates()).isEqualTo(h.candidates());
        assertThat(restored.bestDistribution()).containsExactly(h.bestDistribution());
        assertThatThrownBy(() -> h.add(c(0, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every candidate must have 1 constraint values, got 2");
        assertThatThrownBy(() -> CandidateSelection.bestIndex(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates must not be empty");
        assertThatThrownBy(() -> c(Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("objective must be finite, got NaN");
    }
}
