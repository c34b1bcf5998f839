package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.FeasibleLearningMnist;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Feasible learning on 10,000 genuine MNIST training images (one constraint and one multiplier per
 * example, no objective) beside ERM: the per-example bound pulls in the tail of the training losses (the
 * worst example's cross-entropy drops), while most examples meet the bound and the test accuracy stays
 * close to ERM's.
 */
class FeasibleLearningMnistTest {

    @Test
    void perExampleConstraintsShortenTheTailOfTheTrainingLosses() throws IOException {
        FeasibleLearningMnist.Result r = FeasibleLearningMnist.runExample(
                "--data-dir", ExampleChecks.mnist().toString(), "--examples", "10000", "--epsilon", "0.5",
                "--epochs", "5", "--dual-lr", "0.1");
        System.out.println(r);
        assertThat(r.feasibleWorstLoss()).isLessThan(0.75 * r.ermWorstLoss());
        assertThat(r.feasibleMet()).isGreaterThan(8000);
        assertThat(r.ermAccuracy()).isGreaterThan(0.90);
        assertThat(r.feasibleAccuracy()).isGreaterThan(r.ermAccuracy() - 0.02);
    }

    @Test
    void multipliersFromALinearModelOfThePixelsTrainAndAreJudgedOnEveryExample() throws IOException {
        FeasibleLearningMnist.Result r = FeasibleLearningMnist.runExample(
                "--data-dir", ExampleChecks.mnist().toString(), "--examples", "10000", "--epsilon", "0.5",
                "--epochs", "5", "--dual-lr", "0.1", "--multiplier-model", "1e-3");
        System.out.println(r);
        // 785 dual parameters instead of 10,000: most examples meet the bound, but a linear model of the
        // pixels cannot single out the hardest ones as free multipliers do (their worst loss stays high)
        assertThat(r.feasibleMet()).isGreaterThan(8000);
        assertThat(r.feasibleAccuracy()).isGreaterThan(0.90);
        assertThat(r.feasibleWorstLoss()).isGreaterThan(10);
    }

    @Test
    void anEmptyTrainingSetIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> FeasibleLearningMnist.runExample("--examples", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--examples must be in [1, 60000], got 0");
    }
}
