package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.lagrange4j.examples.ProxyLagrangianMnist;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The recall floor (class 5 >= 0.95, unconstrained test recall 0.857) solved with the proxy-Lagrangian on
 * 50,000 MNIST training images, 10 snapshots judged on the 10,000 held-out training images: the best
 * snapshot and the optimal distribution over at most two snapshots both meet the floor on the test set
 * within 0.01, while the weights keep a real share on the constraint.
 */
class ProxyLagrangianMnistTest {

    @Test
    void theSelectedSnapshotsMeetTheFloorOnTheTestSet() throws IOException {
        ProxyLagrangianMnist.Result r = ProxyLagrangianMnist.runExample(
                "--data-dir", ExampleChecks.mnist().toString(), "--class", "5", "--min-recall", "0.95", "--epochs", "2");
        System.out.println(r + " distribution " + Arrays.toString(r.distribution()));
        assertThat(r.snapshots()).isEqualTo(10);
        assertThat(Arrays.stream(r.distribution()).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(Arrays.stream(r.distribution()).filter(p -> p > 1e-9).count()).isLessThanOrEqualTo(2);
        assertThat(r.mixtureRecall()).isGreaterThanOrEqualTo(0.95 - 0.01);
        assertThat(r.bestRecall()).isGreaterThanOrEqualTo(0.95 - 0.01);
        assertThat(r.mixtureAccuracy()).isGreaterThan(0.89);
        assertThat(r.weights()[1]).as("the floor keeps a real weight").isGreaterThan(0.05);
    }

    @Test
    void aSnapshotPeriodBelowOneIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> ProxyLagrangianMnist.runExample("--snapshot-every", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--epochs, --batch-size and --snapshot-every must be >= 1, got 2, 500 and 0");
    }
}
