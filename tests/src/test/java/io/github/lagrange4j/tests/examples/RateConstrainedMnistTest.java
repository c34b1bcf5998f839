package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.RateConstrainedMnist;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A rate constraint that binds on genuine MNIST: a linear classifier trained 2 epochs on the 60,000
 * training images recalls class 5 well below 0.95 on the 10,000 test images; with the floor "recall of
 * class 5 >= 0.95" (hinge proxy for the primal, 0-1 recall for the dual) the test recall is within 0.01
 * of the floor, and the accuracy stays close to the baseline's.
 */
class RateConstrainedMnistTest {

    @Test
    void theRecallFloorBindsAndHoldsOnTheTestSetWithinItsTolerance() throws IOException {
        RateConstrainedMnist.Result r = RateConstrainedMnist.runExample(
                "--data-dir", ExampleChecks.mnist().toString(), "--class", "5", "--min-recall", "0.95",
                "--tolerance", "0.01", "--epochs", "2");
        System.out.println(r);
        assertThat(r.engine()).isEqualTo("PyTorch");
        assertThat(r.baselineRecall()).as("the floor binds: far below it without the constraint").isLessThan(0.90);
        assertThat(r.recall()).isGreaterThanOrEqualTo(0.95 - 0.01);
        assertThat(r.met()).as(r.report()).isTrue();
        assertThat(r.multiplier()).as("the multiplier is active").isGreaterThan(0);
        assertThat(r.baselineAccuracy()).isGreaterThan(0.90);
        assertThat(r.accuracy()).isGreaterThan(r.baselineAccuracy() - 0.03);
    }

    @Test
    void aRecallFloorOutsideItsRangeIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> RateConstrainedMnist.runExample("--min-recall", "1.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--min-recall must be in (0, 1], got 1.5");
    }
}
