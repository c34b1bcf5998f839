package io.github.lagrange4j.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The frontier plot of a sweep (XChart): final test error (%) against the deployed kept fraction (%); the
 * constrained points (one per ε, mean over seeds with ±1 sd error bars, each seed as a small dot), the penalized
 * points (one per λ, likewise), a dotted vertical line at each ε, and the dense model's error as a dashed
 * horizontal line.
 */
public final class FrontierPlot {

    /** Width of the image in pixels. */
    public static final int WIDTH = 760;
    /** Height of the image in pixels. */
    public static final int HEIGHT = 500;

    private static final Color CONSTRAINED = new Color(0x1f, 0x77, 0xb4);
    private static final Color PENALIZED = new Color(0xd6, 0x27, 0x28);

    private FrontierPlot() {}

    /**
     * Renders the plot.
     *
     * @param report the report
     * @return the image
     */
    public static BufferedImage render(FrontierReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Final test error against deployed density").xAxisTitle("deployed kept parameters (%)")
                .yAxisTitle("final test error (%)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(100.0);
        chart.getStyler().setDecimalPattern("0.##");
        double yMax = 0;
        for (RunKind kind : List.of(RunKind.CONSTRAINED, RunKind.PENALIZED)) {
            List<FrontierPoint> points = report.points().stream()
                    .filter(p -> p.kind() == kind && !p.runs().isEmpty()).toList();
            if (points.isEmpty()) {
                continue;
            }
            Color color = kind == RunKind.CONSTRAINED ? CONSTRAINED : PENALIZED;
            String name = kind == RunKind.CONSTRAINED ? "constrained (eps)" : "penalized (lambda)";
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> bars = new ArrayList<>();
            List<Double> seedX = new ArrayList<>();
            List<Double> seedY = new ArrayList<>();
            for (FrontierPoint p : points) {
                x.add(100 * p.meanKept());
                y.add(100 * p.meanError());
                bars.add(Double.isNaN(p.sdError()) ? 0 : 100 * p.sdError());
                yMax = Math.max(yMax, 100 * (p.meanError() + (Double.isNaN(p.sdError()) ? 0 : p.sdError())));
                for (FrontierRow r : p.runs()) {
                    seedX.add(100 * r.keptFraction());
                    seedY.add(100 * r.testError());
                    yMax = Math.max(yMax, 100 * r.testError());
                }
            }
            XYSeries mean = chart.addSeries(name + ", mean ± sd", x, y, bars);
            mean.setMarker(kind == RunKind.CONSTRAINED ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            mean.setMarkerColor(color);
            mean.setLineColor(color);
            XYSeries seeds = chart.addSeries(name + ", each seed", seedX, seedY);
            seeds.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            seeds.setMarker(SeriesMarkers.CIRCLE);
            seeds.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
        }
        if (report.denseError().isPresent()) {
            double d = 100 * report.denseError().getAsDouble();
            yMax = Math.max(yMax, d);
            XYSeries dense = chart.addSeries(String.format(Locale.ROOT, "dense model (%.2f%%)", d),
                    new double[] {0, 100}, new double[] {d, d});
            dense.setMarker(SeriesMarkers.NONE);
            dense.setLineColor(Color.DARK_GRAY);
            dense.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no complete run yet", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        double top = yMax > 0 ? yMax * 1.15 : 1;
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(top);
        chart.getStyler().setAnnotationLineColor(new Color(0x1f, 0x77, 0xb4, 120));
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {2f, 3f}, 0f));
        chart.getStyler().setAnnotationTextFontColor(new Color(0x1f, 0x77, 0xb4));
        if (report.plan().grid().approaches().contains(io.github.lagrange4j.training.Approach.CONSTRAINED)) {
            for (double eps : report.plan().grid().epsilons()) {
                chart.addAnnotation(new AnnotationLine(100 * eps, true, false));
                chart.addAnnotation(new AnnotationText("eps " + PlannedRun.plain(eps), 100 * eps, top * 0.97, false));
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
