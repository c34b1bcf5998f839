package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EpochMetricsTest {

    private static final Map<String, Double> NONE = Map.of();

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(-1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        NONE, NONE, NONE, 1), "epoch must be >= 0, got -1"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, Double.NaN, 0.1, 0.5, 0.5, "1", 1,
                        1, NONE, NONE, NONE, 1), "trainLoss must be finite, got NaN"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 1.5, 0.5, 0.5, "1", 1, 1,
                        NONE, NONE, NONE, 1), "testError must be in [0, 1], got 1.5"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, -0.1, 0.5, "1", 1, 1,
                        NONE, NONE, NONE, 1), "expectedDensity must be in [0, 1], got -0.1"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 1.01, "1", 1, 1,
                        NONE, NONE, NONE, 1), "deterministicDensity must be in [0, 1], got 1.01"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1\n2", 1, 1,
                        NONE, NONE, NONE, 1), "prunedArchitecture must be a single line"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", -2, 1,
                        NONE, NONE, NONE, 1), "keptParameters must be >= 0, got -2"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, -3,
                        NONE, NONE, NONE, 1), "keptMacs must be >= 0, got -3"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        Map.of("fc1", Double.POSITIVE_INFINITY), NONE, NONE, 1),
                        "multipliers[fc1] must be finite, got Infinity"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        NONE, Map.of(" ", 0.1), NONE, 1), "violations has a null or blank constraint name"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        NONE, NONE, Map.of("model", 1.5), 1), "targetDensities[model] must be in (0, 1], got 1.5"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        NONE, NONE, Map.of("model", 0.0), 1), "targetDensities[model] must be in (0, 1], got 0.0"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        null, NONE, NONE, 1), "multipliers must not be null"),
                Arguments.of((Supplier<EpochMetrics>) () -> new EpochMetrics(1, 0.1, 0.1, 0.5, 0.5, "1", 1, 1,
                        NONE, NONE, NONE, -1), "seconds must be >= 0, got -1.0"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsOutOfRangeComponentsNamingThem(Supplier<EpochMetrics> make, String message) {
        assertThatThrownBy(make::get).hasMessageContaining(message);
    }

    @Test
    void copiesMapsSortedAndUnmodifiable() {
        Map<String, Double> multipliers = new HashMap<>(Map.of("fc2", 0.2, "conv1", 0.1, "fc1", 0.3));
        EpochMetrics m = new EpochMetrics(3, 0.2, 0.01, 0.4, 0.35, "20-25-45-462", 10, 20,
                multipliers, Map.of(), Map.of(), 2.5);
        multipliers.put("late", 9.0);

        assertThat(m.multipliers().keySet()).containsExactly("conv1", "fc1", "fc2");
        assertThat(m.isConstrained()).isTrue();
        assertThatThrownBy(() -> m.multipliers().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aPenalizedEpochIsNotConstrained() {
        assertThat(Fixtures.penalized(1).get(0).isConstrained()).isFalse();
    }
}
