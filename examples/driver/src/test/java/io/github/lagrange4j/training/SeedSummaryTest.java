package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mean ± sd over seeds and the best-feasible selection of {@link RunResult}, on hand-made epochs. */
class SeedSummaryTest {

    private static EpochMetrics epoch(int epoch, double test, double validation, long kept, boolean met) {
        return new EpochMetrics(epoch, 0.1, test, 0.3, 0.3, "1-2", kept, 20, Map.of("m", 0.5), Map.of("m", 0.0),
                Map.of("m", 0.33), 1.0, EpochMetrics.TRAIN, validation, met);
    }

    private static RunResult run(long seed, double finalError, long kept) {
        RunSettings settings = RunSettings.quick().withSeed(seed);
        return new RunResult(settings, Path.of("out", "seed-" + seed), List.of(
                epoch(1, 0.01, 0.010, 900, false), epoch(2, 0.03, 0.015, kept, true),
                epoch(3, finalError, 0.020, kept, true)), 1, 1000);
    }

    @Test
    void bestFeasibleIsChosenOnValidationAmongEpochsThatMeetTheBudget() {
        RunResult r = run(1, 0.02, 320);
        assertThat(r.bestValidationEpoch().orElseThrow().epoch()).isEqualTo(1);
        assertThat(r.bestFeasibleEpoch().orElseThrow().epoch()).isEqualTo(2);
        assertThat(r.keptFraction()).isEqualTo(0.32);
    }

    @Test
    void meanAndSampleStandardDeviationOverSeeds() {
        SeedSummary summary = new SeedSummary(List.of(new SeedSummary.Row("MLP", "constrained eps = 0.33",
                List.of(run(1, 0.014, 320), run(2, 0.016, 330), run(3, 0.015, 325)))));
        SeedSummary.Row row = summary.rows().get(0);
        assertThat(SeedSummary.mean(row.finalTestErrors())).isCloseTo(0.015, within(1e-12));
        assertThat(SeedSummary.sd(row.finalTestErrors())).isCloseTo(0.001, within(1e-12));
        assertThat(SeedSummary.mean(row.keptFractions())).isCloseTo(0.325, within(1e-12));
        assertThat(SeedSummary.sd(row.keptFractions())).isCloseTo(0.005, within(1e-12));
        assertThat(row.bestFeasibleTestErrors()).containsExactly(0.03, 0.03, 0.03);
        assertThat(SeedSummary.sd(new double[] {0.5})).isZero();
        assertThat(summary.toMarkdown()).contains(
                "| MLP | constrained eps = 0.33 | 1, 2, 3 | 1.50 ± 0.10% | 32.50 ± 0.50% | 3.00 ± 0.00% | 3/3 |");
        String json = summary.toJson(Path.of("out"));
        assertThat(json).contains("\"seeds\": [\n        1,\n        2,\n        3\n      ]")
                .contains("\"runDirectories\": [\n        \"seed-1\",");
    }
}
