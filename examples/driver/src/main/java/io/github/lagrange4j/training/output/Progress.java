package io.github.lagrange4j.training.output;

import java.util.Locale;
import java.util.Objects;

/**
 * Where the training loop reports its progress: one epoch after another, one step per minibatch with the
 * step's loss, expected density and multiplier. It keeps the epoch and step reached (for the report of an
 * interrupted run) and forwards them to a DJL {@link ai.djl.util.Progress} display, if any: DJL's own
 * {@link ai.djl.training.util.ProgressBar}, the command line's console bar, or anything a caller writes. The
 * driver depends on no progress-bar library.
 *
 * <p>Order of calls: {@link #silent()} or {@link #to(ai.djl.util.Progress)}; for each epoch
 * {@link #startEpoch(int, int, long)} (the display gets {@code reset("epoch e/E", steps)} and
 * {@code start(0)}), then {@link #step(double, double, double)} once per minibatch (the display gets
 * {@code update(step, "loss … density … lambda …")}); {@link #close()} at the end (the display gets
 * {@code end()}). A silent instance prints nothing, so the driver calls it unconditionally. Arguments are
 * checked either way.
 */
public final class Progress implements AutoCloseable {

    private final ai.djl.util.Progress display;
    private volatile int epoch;
    private volatile long step;
    private volatile long steps;
    private boolean started;

    private Progress(ai.djl.util.Progress display) {
        this.display = display;
    }

    /**
     * Returns a reporter that displays nothing (it still counts epochs and steps).
     *
     * @return a silent reporter
     */
    public static Progress silent() {
        return new Progress(null);
    }

    /**
     * Returns a reporter that forwards every epoch and step to a DJL progress display.
     *
     * @param display the display, e.g. {@code new ai.djl.training.util.ProgressBar()}
     * @return an enabled reporter
     */
    public static Progress to(ai.djl.util.Progress display) {
        return new Progress(Objects.requireNonNull(display, "display"));
    }

    /**
     * Whether this reporter displays anything.
     *
     * @return {@code false} for a silent reporter
     */
    public boolean isEnabled() {
        return display != null;
    }

    /**
     * Ends the previous epoch's display and starts a new one.
     *
     * @param epoch the epoch starting, {@code 1 ≤ epoch ≤ epochs}
     * @param epochs the total number of epochs, {@code ≥ 1}
     * @param steps the minibatches in this epoch, {@code ≥ 1}
     */
    public void startEpoch(int epoch, int epochs, long steps) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch must be in [1, " + epochs + "], got " + epoch);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        end();
        this.epoch = epoch;
        this.steps = steps;
        this.step = 0;
        if (display != null) {
            display.reset("epoch " + epoch + "/" + epochs, steps);
            display.start(0);
            started = true;
        }
    }

    /**
     * Advances by one minibatch and shows its latest values.
     *
     * @param loss the minibatch's training objective
     * @param density the current expected density
     * @param lambda the current multiplier (the largest one for layer-wise constraints), or
     *     {@link Double#NaN} for penalized runs, which shows as {@code lambda -}
     */
    public void step(double loss, double density, double lambda) {
        step++;
        if (started) {
            display.update(step, message(loss, density, lambda));
        }
    }

    /**
     * Returns the epoch last started, for a report of where an interrupted run stopped (any thread).
     *
     * @return the epoch, 0 before the first
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the minibatches completed in the current epoch (any thread).
     *
     * @return the completed steps
     */
    public long stepsDone() {
        return step;
    }

    /**
     * Returns the minibatches of the current epoch.
     *
     * @return the steps, 0 before the first epoch
     */
    public long stepsInEpoch() {
        return steps;
    }

    /** Ends the current epoch's display; a silent reporter does nothing. */
    @Override
    public void close() {
        end();
    }

    /**
     * Formats a step's values as the display shows them.
     *
     * @param loss the loss
     * @param density the expected density
     * @param lambda the multiplier, or NaN for none
     * @return e.g. {@code "loss 0.1234 density 0.412 lambda 0.0310"}
     */
    public static String message(double loss, double density, double lambda) {
        String l = Double.isNaN(lambda) ? "-" : String.format(Locale.ROOT, "%.4f", lambda);
        return String.format(Locale.ROOT, "loss %.4f density %.3f lambda %s", loss, density, l);
    }

    private void end() {
        if (started) {
            display.end();
            started = false;
        }
    }
}
