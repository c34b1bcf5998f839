package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.CustomConstraints;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The custom-constraints example on 4,000 MNIST training images: an expected-MAC budget of 25% and a cap of
 * 40% on the hidden-2 gates, both violated at the start, both driven down by their multipliers, while the
 * network still learns.
 */
class CustomConstraintsTest {

    @Test
    void macBudgetAndLayerCapBothBiteAndTheNetworkStillLearns() throws IOException {
        CustomConstraints.Result r = CustomConstraints.runExample(
                "--data-dir", ExampleChecks.mnist().toString(), "--train-subset", "4000", "--test-subset", "1000",
                "--epochs", "2", "--batch-size", "64", "--lr", "2e-3", "--gate-lr", "0.1", "--dual-lr", "0.5",
                "--mac-budget", "0.25", "--cap-layer", "2", "--cap", "0.4");
        System.out.println(r);

        assertThat(r.engine()).isEqualTo("PyTorch");
        assertThat(r.initialMacFraction()).as("MACs violate the budget at the start").isGreaterThan(0.25);
        assertThat(r.initialCappedDensity()).as("the layer violates its cap at the start").isGreaterThan(0.4);
        assertThat(r.peakMacMultiplier()).isGreaterThan(0.0);
        assertThat(r.peakCapMultiplier()).isGreaterThan(0.0);
        assertThat(r.macMultiplier()).isBetween(0.0, r.peakMacMultiplier());
        assertThat(r.capMultiplier()).isBetween(0.0, r.peakCapMultiplier());
        assertThat(r.macFraction()).isBetween(0.0, 0.25 + 0.05);
        assertThat(r.cappedDensity()).isBetween(0.0, 0.4 + 0.05);
        assertThat(r.keptMacFraction()).isBetween(0.0, 1.0);
        assertThat(r.accuracy()).isGreaterThanOrEqualTo(0.80);
        long hidden2 = Long.parseLong(r.prunedArchitecture().split("-")[2]);
        assertThat(hidden2).as("kept hidden-2 gates of %s", r.prunedArchitecture()).isLessThan(100);
    }

    @Test
    void aCapLayerOutsideTheNetworkIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> CustomConstraints.runExample("--cap-layer", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--cap-layer must be in [0, 2], got 3");
    }
}
