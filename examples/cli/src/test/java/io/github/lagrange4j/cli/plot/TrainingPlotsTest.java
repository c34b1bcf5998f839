package io.github.lagrange4j.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.cli.plot.TrainingPlots.PlottedRun;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPlotsTest {

    private static final int WHITE = 0xFFFFFFFF;

    @TempDir
    Path dir;

    @Test
    void theDocumentedSizesAreConsistent() {
        assertThat(TrainingPlots.RUN_WIDTH).isEqualTo(1200);
        assertThat(TrainingPlots.RUN_HEIGHT).isEqualTo(900);
        assertThat(TrainingPlots.comparisonSize(2).width).isEqualTo(1200);
        assertThat(TrainingPlots.comparisonSize(2).height).isEqualTo(1400);
        assertThat(TrainingPlots.comparisonSize(3).width).isEqualTo(1800);
    }

    @Test
    void aConstrainedRunFigureDecodesTo1200x900WithFourDrawnPanels() throws IOException {
        Path png = dir.resolve("training.png");

        TrainingPlots.writeRun(png, new PlottedRun("MLP constrained ε = 0.33", Fixtures.constrained(12)));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(900);
        for (int panel = 0; panel < 4; panel++) {
            assertThat(inkFraction(image, (panel % 2) * 600, (panel / 2) * 450, 600, 450))
                    .as("ink in panel %d", panel)
                    .isGreaterThan(0.01);
        }
    }

    @Test
    void aPenalizedRunSaysItHasNoMultiplierInsteadOfPlottingOne() {
        BufferedImage penalized = TrainingPlots.renderRun(new PlottedRun("penalized", Fixtures.penalized(8)));
        BufferedImage constrained = TrainingPlots.renderRun(new PlottedRun("penalized", Fixtures.constrained(8)));

        double penalizedInk = inkFraction(penalized, 600, 0, 600, 450);
        double constrainedInk = inkFraction(constrained, 600, 0, 600, 450);
        // The message panel is a frame and two lines of text: far less ink than a chart with axes and a series.
        assertThat(penalizedInk).isGreaterThan(0.0).isLessThan(constrainedInk / 2);
        assertThat(penalized.getWidth()).isEqualTo(1200);
        assertThat(penalized.getHeight()).isEqualTo(900);
    }

    @Test
    void theFinetuningPhaseIsMarkedByALineInEveryChartPanel() {
        List<EpochMetrics> base = Fixtures.constrained(12);
        BufferedImage without = TrainingPlots.renderRun(new PlottedRun("run", phased(base, Integer.MAX_VALUE)));
        BufferedImage with = TrainingPlots.renderRun(new PlottedRun("run", phased(base, 9)));
        for (int panel = 0; panel < 4; panel++) {
            int x0 = (panel % 2) * 600;
            int y0 = (panel / 2) * 450;
            int differing = 0;
            for (int x = x0; x < x0 + 600; x++) {
                for (int y = y0; y < y0 + 450; y++) {
                    differing += with.getRGB(x, y) != without.getRGB(x, y) ? 1 : 0;
                }
            }
            // a vertical line through the plot area (and its legend entry)
            assertThat(differing).as("pixels changed by the marker in panel %d", panel).isGreaterThan(200);
        }
    }

    @Test
    void theDeployedKeptFractionIsDrawnWhenTheParameterCountIsKnown() {
        List<EpochMetrics> epochs = Fixtures.constrained(12);
        BufferedImage without = TrainingPlots.renderRun(new PlottedRun("run", epochs));
        BufferedImage with = TrainingPlots.renderRun(new PlottedRun("run", epochs, 3000));
        int differing = 0;
        for (int x = 0; x < 600; x++) {
            for (int y = 0; y < 450; y++) {
                differing += with.getRGB(x, y) != without.getRGB(x, y) ? 1 : 0;
            }
        }
        assertThat(differing).as("pixels of the deployed series in the density panel").isGreaterThan(300);
        assertThat(with.getRGB(900, 700)).isEqualTo(without.getRGB(900, 700));
        assertThatThrownBy(() -> new PlottedRun("run", epochs, -1))
                .hasMessage("totalParameters must be >= 0 (0 = unknown), got -1");
    }

    /** The same epochs, with validation errors, fine-tuning from epoch {@code first} on. */
    private static List<EpochMetrics> phased(List<EpochMetrics> epochs, int first) {
        return epochs.stream().map(m -> new EpochMetrics(m.epoch(), m.trainLoss(), m.testError(),
                m.expectedDensity(), m.deterministicDensity(), m.prunedArchitecture(), m.keptParameters(),
                m.keptMacs(), m.multipliers(), m.violations(), m.targetDensities(), m.seconds(),
                m.epoch() >= first ? EpochMetrics.FINETUNE : EpochMetrics.TRAIN, m.testError() * 0.9, true))
                .toList();
    }

    @Test
    void aSingleEpochAndLayerWiseConstraintsRender() throws IOException {
        Path one = dir.resolve("one.png");
        Path layers = dir.resolve("layers.png");
        TrainingPlots.writeRun(one, new PlottedRun("one epoch", Fixtures.constrained(1)));
        TrainingPlots.writeRun(layers, new PlottedRun("layer-wise", Fixtures.layerWise(40)));

        for (Path png : List.of(one, layers)) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(1200);
            assertThat(image.getHeight()).isEqualTo(900);
        }
    }

    @Test
    void aComparisonPutsOneRunPerColumnAndDecodesToTheDocumentedSize() throws IOException {
        Path png = dir.resolve("compare.png");

        TrainingPlots.writeComparison(png, List.of(
                new PlottedRun("penalized λ = 0.1/N", Fixtures.penalized(10)),
                new PlottedRun("constrained ε = 0.33", Fixtures.constrained(14))));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(1400);
        for (int column = 0; column < 2; column++) {
            for (int row = 0; row < 4; row++) {
                assertThat(inkFraction(image, column * 600, row * 350, 600, 350))
                        .as("ink in column %d row %d", column, row)
                        .isGreaterThan(0.005);
            }
        }
    }

    @Test
    void threeRunsGiveThreeColumns() {
        BufferedImage image = TrainingPlots.renderComparison(List.of(
                new PlottedRun("a", Fixtures.penalized(3)),
                new PlottedRun("b", Fixtures.constrained(3)),
                new PlottedRun("c", Fixtures.layerWise(3))));
        assertThat(image.getWidth()).isEqualTo(1800);
        assertThat(image.getHeight()).isEqualTo(1400);
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        assertThatThrownBy(() -> TrainingPlots.renderComparison(List.of(new PlottedRun("a", Fixtures.penalized(2)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runs must hold at least 2 runs to compare, got 1");
        assertThatThrownBy(() -> new PlottedRun("empty", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epochs must hold at least one epoch, got none");
        assertThatThrownBy(() -> new PlottedRun(" ", Fixtures.penalized(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label must be non-blank, got  ");
        List<EpochMetrics> backwards = List.of(Fixtures.penalized(2).get(1), Fixtures.penalized(2).get(0));
        assertThatThrownBy(() -> new PlottedRun("backwards", backwards))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epochs must increase strictly, got 2 then 1");
        assertThatThrownBy(() -> TrainingPlots.comparisonSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runs must be >= 1, got 0");
    }

    /** Fraction of the pixels of a rectangle that are not white. */
    private static double inkFraction(BufferedImage image, int x0, int y0, int width, int height) {
        long ink = 0;
        for (int y = y0; y < y0 + height; y++) {
            for (int x = x0; x < x0 + width; x++) {
                if (image.getRGB(x, y) != WHITE) {
                    ink++;
                }
            }
        }
        return ink / (double) (width * height);
    }
}
