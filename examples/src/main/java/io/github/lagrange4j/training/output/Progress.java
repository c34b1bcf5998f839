package io.github.lagrange4j.training.output;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for training (one bar per epoch, over me.tongfei progressbar) showing the epoch,
 * step/total, and the latest loss, density and multiplier; completely silent when disabled.
 *
 * <p>Order of calls: {@link #create(Mode)} (or {@link #toSink(Consumer)} to capture the rendered lines);
 * for each epoch {@link #startEpoch(int, int, long)}, then {@link #step(double, double, double)} once per
 * minibatch; {@link #close()} at the end (try-with-resources). A disabled instance creates no bar, no
 * thread and prints nothing, so the driver calls it unconditionally.
 */
public final class Progress implements AutoCloseable {

    private volatile int epoch;
    private volatile long step;
    private volatile long steps;

    /** When the bar is shown. */
    public enum Mode {
        /** Always draw the bar on standard error. */
        ON,
        /** Never draw anything (tests, batch jobs, {@code --quiet}). */
        OFF,
        /** Draw only when the JVM has an interactive console ({@code System.console() != null}). */
        AUTO
    }

    private static final int RENDER_WIDTH = 120;
    private static final int UPDATE_MILLIS = 250;

    private final boolean enabled;
    /** Where rendered lines go; {@code null} means the console (standard error). */
    private final Consumer<String> sink;
    private ProgressBar bar;

    private Progress(boolean enabled, Consumer<String> sink) {
        this.enabled = enabled;
        this.sink = sink;
    }

    /**
     * Creates a bar drawn on standard error according to {@code mode}.
     *
     * @param mode {@link Mode#ON}, {@link Mode#OFF} or {@link Mode#AUTO}
     * @return the progress reporter; silent for OFF, and for AUTO without a console
     */
    public static Progress create(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        boolean enabled = mode == Mode.ON || (mode == Mode.AUTO && System.console() != null);
        return enabled ? new Progress(true, null) : silent();
    }

    /**
     * Returns a reporter that prints nothing.
     *
     * @return a disabled reporter
     */
    public static Progress silent() {
        return new Progress(false, null);
    }

    /**
     * Creates a reporter that hands every rendered line to {@code sink} instead of the terminal (logs,
     * tests).
     *
     * @param sink receives the rendered bar, e.g. {@code "epoch 3/200  50% [====   ] 235/469 (0:00:01 /
     *     0:00:01) loss 0.1234 density 0.412 lambda 0.0310"}
     * @return an enabled reporter writing to {@code sink}
     */
    public static Progress toSink(Consumer<String> sink) {
        return new Progress(true, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Whether this reporter draws anything.
     *
     * @return {@code false} for a silent reporter
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Closes the previous epoch's bar and starts a new one.
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
        closeBar();
        this.epoch = epoch;
        this.steps = steps;
        this.step = 0;
        if (!enabled) {
            return;
        }
        ProgressBarConsumer consumer = sink == null
                ? new ConsoleProgressBarConsumer(System.err, RENDER_WIDTH)
                : new DelegatingProgressBarConsumer(sink, RENDER_WIDTH);
        bar = new ProgressBarBuilder()
                .setTaskName("epoch " + epoch + "/" + epochs)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(UPDATE_MILLIS)
                .setConsumer(consumer)
                .build();
    }

    /**
     * Advances the bar by one minibatch and shows its latest values.
     *
     * @param loss the minibatch's training objective
     * @param density the current expected density
     * @param lambda the current multiplier (the largest one for layer-wise constraints), or
     *     {@link Double#NaN} for penalized runs, which shows as {@code lambda -}
     */
    public void step(double loss, double density, double lambda) {
        step++;
        if (bar == null) {
            return;
        }
        bar.setExtraMessage(message(loss, density, lambda));
        bar.step();
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

    /** Finishes the current bar (drawing its final state); a silent reporter does nothing. */
    @Override
    public void close() {
        closeBar();
    }

    static String message(double loss, double density, double lambda) {
        String l = Double.isNaN(lambda) ? "-" : String.format(Locale.ROOT, "%.4f", lambda);
        return String.format(Locale.ROOT, "loss %.4f density %.3f lambda %s", loss, density, l);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
