package io.github.lagrange4j.tests.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.examples.PenalizedVsConstrained;
import io.github.lagrange4j.examples.RunSummary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The penalized-versus-constrained example on 4,000 MNIST training images: both runs learn (accuracy far
 * above the 10% of chance), both sparsify, the constrained one pushes its density below where it started and
 * ends with a
 * non-negative multiplier; the table has one row per run and is written with the comparison plot.
 */
class PenalizedVsConstrainedTest {

    @Test
    void bothRunsLearnAndSparsifyAndTheTableListsThem(@TempDir Path out) throws IOException {
        PenalizedVsConstrained.Result r = PenalizedVsConstrained.runExample("--out", out.toString(),
                "--data-dir", ExampleChecks.mnist().toString(), "--train-subset", "4000", "--test-subset", "1000",
                "--epochs", "2", "--batch-size", "64", "--lr", "2e-3", "--gate-lr", "0.1", "--dual-lr", "0.5",
                "--epsilon", "0.33", "--penalty-lambda", "0.1");

        for (RunSummary run : new RunSummary[] {r.penalized(), r.constrained()}) {
            ExampleChecks.assertConsistent(run, 2);
            assertThat(run.engine()).isEqualTo("PyTorch");
            assertThat(run.accuracy()).as("accuracy of %s", run.label()).isGreaterThanOrEqualTo(0.80);
            assertThat(run.finalDensity()).as("density of %s", run.label()).isLessThan(run.initialDensity());
        }
        assertThat(r.penalized().multipliers()).isEmpty();
        assertThat(r.constrained().multipliers()).containsOnlyKeys("l0_model_density");

        String text = r.table().toText();
        assertThat(text.lines()).hasSize(4);
        assertThat(text).contains("penalized lambda=0.1/N", "constrained eps=0.33",
                r.penalized().prunedArchitecture(), r.constrained().prunedArchitecture());
        assertThat(Files.readString(out.resolve("results.md"))).isEqualTo(r.table().toMarkdown());
        BufferedImage png = ImageIO.read(out.resolve("compare.png").toFile());
        assertThat(png.getWidth()).as("two columns of 600 pixels").isEqualTo(1200);
        assertThat(png.getHeight()).as("four rows of plots").isEqualTo(1400);
    }

    @Test
    void anEpsilonOutsideZeroOneIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> PenalizedVsConstrained.runExample("--epsilon", "1.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--epsilon must be in [0, 1], got 1.5");
    }
}
