package io.github.lagrange4j.cli.plot;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the four panels of one run (density, multipliers, loss, test error) as images of a given size;
 * {@link TrainingPlots} arranges them.
 */
final class PlotPanels {

    static final int PANELS = 4;
    private static final int MARKER_LIMIT = 30;
    private static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);

    private static final BasicStroke DOTTED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f);

    private PlotPanels() {}

    /** Renders panels a, b, c, d of {@code run}, each {@code width × height}. */
    static List<BufferedImage> panels(TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges) {
        List<BufferedImage> panels = new ArrayList<>(PANELS);
        panels.add(BitmapEncoder.getBufferedImage(density(run, width, height, ranges)));
        panels.add(multipliers(run, width, height, ranges));
        panels.add(BitmapEncoder.getBufferedImage(
                single(run, width, height, ranges, "train loss", "loss", EpochMetrics::trainLoss,
                        ranges.lossMin, ranges.lossMax)));
        panels.add(BitmapEncoder.getBufferedImage(error(run, width, height, ranges)));
        return panels;
    }

    /** Test error, and validation error when the run holds a validation split out. */
    private static XYChart error(TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges) {
        boolean validation = run.epochs().stream().anyMatch(EpochMetrics::hasValidation);
        if (!validation) {
            return single(run, width, height, ranges, "test error", "error (%)", m -> 100.0 * m.testError(),
                    ranges.errorMin, ranges.errorMax);
        }
        XYChart chart = chart(run, width, height, ranges, "test and validation error", "error (%)");
        line(chart, "test", epochs(run.epochs()), values(run.epochs(), m -> 100.0 * m.testError()));
        List<EpochMetrics> validated = run.epochs().stream().filter(EpochMetrics::hasValidation).toList();
        line(chart, "validation", epochs(validated), values(validated, m -> 100.0 * m.validationError()));
        chart.getStyler().setYAxisMin(ranges.errorMin).setYAxisMax(ranges.errorMax);
        markFinetune(chart, run, ranges.errorMin, ranges.errorMax);
        padEpochAxis(chart, ranges);
        return chart;
    }

    /**
     * Draws a dotted vertical line half an epoch before the first fine-tuning epoch, if the run has one.
     */
    private static void markFinetune(XYChart chart, TrainingPlots.PlottedRun run, double yMin, double yMax) {
        run.epochs().stream().filter(EpochMetrics::isFinetune).findFirst().ifPresent(first -> {
            double x = first.epoch() - 0.5;
            XYSeries mark = chart.addSeries("fine-tuning (fixed mask)", new double[] {x, x},
                    new double[] {yMin, yMax});
            mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            mark.setMarker(SeriesMarkers.NONE);
            mark.setLineColor(Color.GRAY);
            mark.setLineStyle(DOTTED);
        });
    }

    private static XYChart density(TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges) {
        List<String> targetNames = names(run.epochs(), true);
        XYChart chart = chart(run, width, height, ranges,
                targetNames.isEmpty() ? "density" : "density vs target ε", "density");
        double[] x = epochs(run.epochs());
        line(chart, "expected", x, values(run.epochs(), EpochMetrics::expectedDensity));
        line(chart, "deterministic", x, values(run.epochs(), EpochMetrics::deterministicDensity));
        if (run.totalParameters() > 0) {
            line(chart, "deployed (kept fraction)", x,
                    values(run.epochs(), m -> (double) m.keptParameters() / run.totalParameters()));
        }
        // One dashed line per distinct target curve; constraints sharing a curve share the line.
        Map<List<Double>, List<String>> curves = new LinkedHashMap<>();
        Map<List<Double>, List<Double>> curveEpochs = new LinkedHashMap<>();
        for (String name : targetNames) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (EpochMetrics m : run.epochs()) {
                Double target = m.targetDensities().get(name);
                if (target != null) {
                    xs.add((double) m.epoch());
                    ys.add(target);
                }
            }
            List<Double> key = new ArrayList<>(xs);
            key.addAll(ys);
            curves.computeIfAbsent(key, k -> new ArrayList<>()).add(name);
            curveEpochs.put(key, xs);
        }
        for (Map.Entry<List<Double>, List<String>> curve : curves.entrySet()) {
            List<Double> xs = curveEpochs.get(curve.getKey());
            List<Double> ys = curve.getKey().subList(xs.size(), curve.getKey().size());
            boolean constant = new TreeSet<>(ys).size() == 1;
            String label = "target ε" + (constant ? " = " + format(ys.get(0)) : "")
                    + (curves.size() > 1 ? " (" + String.join(", ", curve.getValue()) + ")" : "");
            XYSeries series = line(chart, label, toArray(xs), toArray(ys));
            series.setLineStyle(DASHED);
            series.setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        markFinetune(chart, run, 0.0, 1.0);
        padEpochAxis(chart, ranges);
        return chart;
    }

    private static BufferedImage multipliers(
            TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges) {
        List<String> names = names(run.epochs(), false);
        String title = run.label() + ": multipliers λ";
        if (names.isEmpty()) {
            return message(title, "penalized: no multiplier", width, height);
        }
        XYChart chart = chart(run, width, height, ranges, "multipliers λ", "λ");
        for (String name : names) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (EpochMetrics m : run.epochs()) {
                Double lambda = m.multipliers().get(name);
                if (lambda != null) {
                    xs.add((double) m.epoch());
                    ys.add(lambda);
                }
            }
            line(chart, "λ " + name, toArray(xs), toArray(ys));
        }
        chart.getStyler().setYAxisMin(ranges.multiplierMin).setYAxisMax(ranges.multiplierMax);
        // λ grows from 0 while the budget is violated: the top left is where the curves are not.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        markFinetune(chart, run, ranges.multiplierMin, ranges.multiplierMax);
        padEpochAxis(chart, ranges);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart single(TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges,
            String title, String yTitle, ToDoubleFunction<EpochMetrics> value, double min, double max) {
        XYChart chart = chart(run, width, height, ranges, title, yTitle);
        line(chart, title, epochs(run.epochs()), values(run.epochs(), value));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(min).setYAxisMax(max);
        markFinetune(chart, run, min, max);
        padEpochAxis(chart, ranges);
        return chart;
    }

    private static XYChart chart(TrainingPlots.PlottedRun run, int width, int height, PlotRanges ranges,
            String title, String yTitle) {
        XYChart chart = new XYChartBuilder()
                .width(width)
                .height(height)
                .title(run.label() + ": " + title)
                .xAxisTitle("epoch")
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler()
                .setLegendPosition(Styler.LegendPosition.InsideNE)
                .setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(ranges.epochMin - 0.5).setXAxisMax(ranges.epochMax + 0.5);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setYAxisDecimalPattern("0.####");
        return chart;
    }

    /**
     * Adds, last (so the series colours stay XChart's first ones), an invisible series at half an epoch
     * outside the data. It pads the x axis and, because the x
     * values are then no longer equally spaced, makes XChart place epoch ticks at round numbers instead
     * of at every k-th epoch with overlapping labels.
     */
    private static void padEpochAxis(XYChart chart, PlotRanges ranges) {
        XYSeries pad = chart.addSeries(" ", new double[] {ranges.epochMin - 0.5, ranges.epochMax + 0.5},
                new double[] {Double.NaN, Double.NaN});
        pad.setShowInLegend(false);
        pad.setMarker(SeriesMarkers.NONE);
        pad.setLineColor(new Color(0, 0, 0, 0));
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(x.length <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return series;
    }

    /** A panel without data: the title on top and a centred message. */
    private static BufferedImage message(String title, String text, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (width - fm.stringWidth(title)) / 2, 10 + fm.getAscent());
            g.setColor(Color.GRAY);
            g.drawRect(10, 20 + fm.getHeight(), width - 21, height - 31 - fm.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 16));
            fm = g.getFontMetrics();
            g.drawString(text, (width - fm.stringWidth(text)) / 2, height / 2 + fm.getAscent() / 2);
        } finally {
            g.dispose();
        }
        return image;
    }

    static List<String> names(List<EpochMetrics> epochs, boolean targets) {
        TreeSet<String> names = new TreeSet<>();
        for (EpochMetrics m : epochs) {
            names.addAll(targets ? m.targetDensities().keySet() : m.multipliers().keySet());
        }
        return new ArrayList<>(names);
    }

    private static double[] epochs(List<EpochMetrics> epochs) {
        return values(epochs, m -> m.epoch());
    }

    private static double[] values(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> value) {
        return epochs.stream().mapToDouble(value).toArray();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value).replaceFirst("\\.?0+$", "");
    }
}
