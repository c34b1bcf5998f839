package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step record cannot be changed through what it was built from or what it hands out. */
class StepRecordTest {

    private static StepRecord record(double[] lambda, double[] violation) {
        Map<String, double[]> multipliers = new LinkedHashMap<>();
        multipliers.put("a", lambda);
        multipliers.put("b", new double[] {5});
        return new StepRecord(7, 1.5, 2.5, Map.of("a", violation), multipliers, Map.of("a", new double[] {10}));
    }

    @Test
    void neitherTheArgumentsNorTheReturnedArraysReachItsState() {
        double[] lambda = {0.25, 0.5};
        double[] violation = {-0.125};
        StepRecord r = record(lambda, violation);
        lambda[0] = 99;
        violation[0] = 99;

        r.multipliers().get("a")[1] = 99;
        r.violations().get("a")[0] = 99;
        r.penaltyCoefficients().get("a")[0] = 99;
        r.multiplier("a")[0] = 99;
        r.violation("a")[0] = 99;
        assertThatThrownBy(() -> r.multipliers().put("c", new double[1])).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.multiplierNames().remove("a")).isInstanceOf(UnsupportedOperationException.class);

        assertThat(r.multiplier("a")).containsExactly(0.25, 0.5);
        assertThat(r.violation("a")).containsExactly(-0.125);
        assertThat(r.penaltyCoefficients().get("a")).containsExactly(10.0);
        assertThat(r).isEqualTo(record(new double[] {0.25, 0.5}, new double[] {-0.125}));
        assertThat(r.hashCode()).isEqualTo(record(new double[] {0.25, 0.5}, new double[] {-0.125}).hashCode());
        assertThat(r).isNotEqualTo(record(new double[] {0.25, 0.75}, new double[] {-0.125}));
    }

    @Test
    void copyFreeReadsSeeEveryEntryInOrder() {
        StepRecord r = record(new double[] {0.25, 0.5}, new double[] {-0.125});
        List<String> seen = new ArrayList<>();
        r.forEachMultiplier((name, i, v) -> seen.add(name + i + "=" + v));
        r.forEachViolation((name, i, v) -> seen.add("g " + name + i + "=" + v));
        assertThat(seen).containsExactly("a0=0.25", "a1=0.5", "b0=5.0", "g a0=-0.125");
        assertThat(r.multiplierNames()).containsExactly("a", "b");
        assertThat(r.multiplier("b", 0)).isEqualTo(5.0);
        assertThat(r.toString()).contains("multipliers={a=[0.25, 0.5], b=[5.0]}");
        assertThatThrownBy(() -> r.multiplier("c", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no constraint named 'c' in this record");
    }
}
