package io.github.lagrange4j.cli.plot;

import io.github.lagrange4j.training.output.EpochMetrics;
import java.util.List;

/** Axis ranges shared by every column of a figure: epochs, loss, multipliers, error (%). */
final class PlotRanges {
    final double epochMin;
    final double epochMax;
    final double lossMin;
    final double lossMax;
    final double multiplierMin;
    final double multiplierMax;
    final double errorMin;
    final double errorMax;

    private PlotRanges(double[] epoch, double[] loss, double[] multiplier, double[] error) {
        epochMin = epoch[0];
        epochMax = epoch[1];
        lossMin = loss[0];
        lossMax = loss[1];
        multiplierMin = multiplier[0];
        multiplierMax = multiplier[1];
        errorMin = error[0];
        errorMax = error[1];
    }

    static PlotRanges of(List<TrainingPlots.PlottedRun> runs) {
        double[] epoch = empty();
        double[] loss = empty();
        double[] multiplier = {0.0, Double.NEGATIVE_INFINITY};
        double[] error = {0.0, Double.NEGATIVE_INFINITY};
        for (TrainingPlots.PlottedRun run : runs) {
            for (EpochMetrics m : run.epochs()) {
                include(epoch, m.epoch());
                include(loss, m.trainLoss());
                include(error, 100.0 * m.testError());
                if (m.hasValidation()) {
                    include(error, 100.0 * m.validationError());
                }
                m.multipliers().values().forEach(v -> include(multiplier, v));
            }
        }
        return new PlotRanges(padded(epoch, 1.0), padded(loss, 0.05), padded(multiplier, 0.05),
                padded(error, 0.05));
    }

    private static double[] empty() {
        return new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    }

    private static void include(double[] range, double value) {
        range[0] = Math.min(range[0], value);
        range[1] = Math.max(range[1], value);
    }

    /** Widens a range by {@code fraction} of its span on top (on both sides if degenerate or for x). */
    private static double[] padded(double[] range, double fraction) {
        double lo = range[0];
        double hi = range[1];
        if (!(hi >= lo)) { // no value at all (e.g. no multiplier)
            return new double[] {0.0, 1.0};
        }
        if (hi == lo) {
            double pad = Math.max(Math.abs(lo) * 0.1, 1e-3);
            return new double[] {lo - pad, hi + pad};
        }
        if (fraction >= 1.0) { // x axis: exact span
            return new double[] {lo, hi};
        }
        return new double[] {lo, hi + (hi - lo) * fraction};
    }
}
