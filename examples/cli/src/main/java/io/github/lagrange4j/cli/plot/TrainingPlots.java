package io.github.lagrange4j.cli.plot;

import ai.djl.training.Trainer;
import io.github.lagrange4j.training.ConsoleText;
import io.github.lagrange4j.training.EpochEnd;
import io.github.lagrange4j.training.RunListener;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The training-dynamics figures of a run (the poster's plots), rendered with XChart and written as PNG
 * through {@link AtomicFiles}.
 *
 * <p>Four panels per run, one point per epoch: (a) expected and deterministic density against the target
 * ε line(s), and the deployed kept fraction when the run's parameter count is known; (b) the multipliers λ_k, one series per constraint (a penalized run shows "penalized: no
 * multiplier"); (c) the training loss; (d) the test error in percent (and the validation error, if the run holds
 * one out). A run with a fine-tuning phase gets a dotted vertical line where the phase starts.
 *
 * <p>Fixed pixel sizes, so callers and tests can rely on them:
 * <ul>
 *   <li>{@link #writeRun}: a 2×2 grid of {@value #RUN_PANEL_WIDTH}×{@value #RUN_PANEL_HEIGHT} panels,
 *       {@value #RUN_WIDTH}×{@value #RUN_HEIGHT} pixels in all (panels a, b on top; c, d below);</li>
 *   <li>{@link #writeComparison}: one column per run, the four panels as rows, each
 *       {@value #COMPARE_PANEL_WIDTH}×{@value #COMPARE_PANEL_HEIGHT}; {@code n} runs give
 *       {@code 600·n × 1400} pixels. Each row shares its y range (and every panel the x range) across
 *       runs, so penalized and constrained read side by side.</li>
 * </ul>
 *
 * <p>Rendering is headless: unless set otherwise, this class sets {@code java.awt.headless=true} before
 * AWT starts.
 */
public final class TrainingPlots {

    /** Width of one panel of a run figure. */
    public static final int RUN_PANEL_WIDTH = 600;
    /** Height of one panel of a run figure. */
    public static final int RUN_PANEL_HEIGHT = 450;
    /** Width of a run figure (2 panels). */
    public static final int RUN_WIDTH = 2 * RUN_PANEL_WIDTH;
    /** Height of a run figure (2 panels). */
    public static final int RUN_HEIGHT = 2 * RUN_PANEL_HEIGHT;
    /** Width of one column (one run) of a comparison figure. */
    public static final int COMPARE_PANEL_WIDTH = 600;
    /** Height of one row (one quantity) of a comparison figure. */
    public static final int COMPARE_PANEL_HEIGHT = 350;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private TrainingPlots() {}

    /**
     * Renders the 2×2 figure of one run.
     *
     * @param run the run's label and epochs
     * @return a {@value #RUN_WIDTH}×{@value #RUN_HEIGHT} RGB image
     */
    public static BufferedImage renderRun(PlottedRun run) {
        Objects.requireNonNull(run, "run");
        List<BufferedImage> panels = PlotPanels.panels(run, RUN_PANEL_WIDTH, RUN_PANEL_HEIGHT,
                PlotRanges.of(List.of(run)));
        BufferedImage image = new BufferedImage(RUN_WIDTH, RUN_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, RUN_WIDTH, RUN_HEIGHT);
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), (i % 2) * RUN_PANEL_WIDTH, (i / 2) * RUN_PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Returns the DJL training listener that rewrites a run's {@link SparsityRun#PLOT} at the end of every epoch
     * ({@link RunListener#onEpochEnd}, after the metrics files), for {@link SparsityRun#start} and {@code resume}.
     * A failed write is thrown as {@link UncheckedIOException}, which the run reports like its own.
     *
     * @return the plotting listener
     */
    public static RunListener runPlot() {
        return new RunListener() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochEnd end) {
                try {
                    writeRun(end.runDirectory().resolve(SparsityRun.PLOT), new PlottedRun(
                            ConsoleText.plotLabel(end.settings()), end.history(), end.totalParameters()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * Renders and writes the figure of one run, atomically.
     *
     * @param png the file to create or replace, e.g. {@code runDir/training.png}
     * @param run the run's label and epochs
     * @throws IOException if the file cannot be written; an older figure is then kept
     */
    public static void writeRun(Path png, PlottedRun run) throws IOException {
        AtomicFiles.writePng(png, renderRun(run));
    }

    /**
     * Returns the pixel size of a comparison figure.
     *
     * @param runs the number of runs compared, {@code ≥ 1}
     * @return {@code 600·runs × 1400}
     */
    public static Dimension comparisonSize(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        return new Dimension(runs * COMPARE_PANEL_WIDTH, PlotPanels.PANELS * COMPARE_PANEL_HEIGHT);
    }

    /**
     * Renders runs side by side, one column each, with the rows' y ranges shared.
     *
     * @param runs the runs, at least two (e.g. penalized then constrained)
     * @return an RGB image of {@link #comparisonSize(int)}
     */
    public static BufferedImage renderComparison(List<PlottedRun> runs) {
        Objects.requireNonNull(runs, "runs");
        if (runs.size() < 2) {
            throw new IllegalArgumentException("runs must hold at least 2 runs to compare, got " + runs.size());
        }
        runs.forEach(r -> Objects.requireNonNull(r, "runs must not contain null"));
        Dimension size = comparisonSize(runs.size());
        PlotRanges ranges = PlotRanges.of(runs);
        BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size.width, size.height);
            for (int column = 0; column < runs.size(); column++) {
                List<BufferedImage> panels = PlotPanels.panels(runs.get(column), COMPARE_PANEL_WIDTH,
                        COMPARE_PANEL_HEIGHT, ranges);
                for (int row = 0; row < panels.size(); row++) {
                    g.drawImage(panels.get(row), column * COMPARE_PANEL_WIDTH, row * COMPARE_PANEL_HEIGHT, null);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders and writes a comparison figure, atomically.
     *
     * @param png the file to create or replace, e.g. {@code compare.png}
     * @param runs the runs, at least two
     * @throws IOException if the file cannot be written; an older figure is then kept
     */
    public static void writeComparison(Path png, List<PlottedRun> runs) throws IOException {
        AtomicFiles.writePng(png, renderComparison(runs));
    }

    /**
     * A run to plot: its label (panel titles start with it) and its epochs.
     *
     * @param label e.g. {@code "MLP constrained ε = 0.33"}
     * @param epochs the epochs, oldest first, at least one, with strictly increasing epoch numbers
     * @param totalParameters the parameters of the gated layers, to plot the deployed kept fraction
     *     {@code keptParameters / totalParameters} beside the densities; 0 if unknown (not plotted)
     */
    public record PlottedRun(String label, List<EpochMetrics> epochs, long totalParameters) {

        /**
         * A run without the deployed kept fraction.
         *
         * @param label the run's label
         * @param epochs the epochs
         */
        public PlottedRun(String label, List<EpochMetrics> epochs) {
            this(label, epochs, 0);
        }

        /** Validates and copies. */
        public PlottedRun {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("label must be non-blank, got " + label);
            }
            Objects.requireNonNull(epochs, "epochs");
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException("epochs must hold at least one epoch, got none");
            }
            epochs = List.copyOf(epochs);
            if (totalParameters < 0) {
                throw new IllegalArgumentException("totalParameters must be >= 0 (0 = unknown), got " + totalParameters);
            }
            for (int i = 1; i < epochs.size(); i++) {
                if (epochs.get(i).epoch() <= epochs.get(i - 1).epoch()) {
                    throw new IllegalArgumentException("epochs must increase strictly, got "
                            + epochs.get(i - 1).epoch() + " then " + epochs.get(i).epoch());
                }
            }
        }

        /**
         * Plots a whole {@link MetricsLog}.
         *
         * @param label the run's label
         * @param log the log
         * @return the run to plot
         */
        public static PlottedRun of(String label, MetricsLog log) {
            return new PlottedRun(label, new ArrayList<>(log.epochs()));
        }

        /**
         * Plots a whole {@link MetricsLog} with the deployed kept fraction.
         *
         * @param label the run's label
         * @param log the log
         * @param totalParameters the parameters of the gated layers
         * @return the run to plot
         */
        public static PlottedRun of(String label, MetricsLog log, long totalParameters) {
            return new PlottedRun(label, new ArrayList<>(log.epochs()), totalParameters);
        }
    }
}
