package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.output.Progress;
import java.util.Objects;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The command line's terminal progress bar (one bar per epoch, over me.tongfei progressbar) showing the epoch,
 * step/total and the latest loss, density and multiplier, as a DJL {@link ai.djl.util.Progress} display for the
 * driver's {@link Progress}.
 *
 * <p>Order of calls: {@link #create(Mode)} (or {@link #toSink(Consumer)} to capture the rendered lines) gives
 * the driver's reporter; the driver calls {@code reset}, {@code start}, {@code update} and {@code end} here.
 */
public final class ConsoleProgress implements ai.djl.util.Progress {

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

    /** Where rendered lines go; {@code null} means the console (standard error). */
    private final Consumer<String> sink;
    private ProgressBar bar;

    private ConsoleProgress(Consumer<String> sink) {
        this.sink = sink;
    }

    /**
     * Creates the driver's reporter with a bar drawn on standard error according to {@code mode}.
     *
     * @param mode {@link Mode#ON}, {@link Mode#OFF} or {@link Mode#AUTO}
     * @return the progress reporter; silent for OFF, and for AUTO without a console
     */
    public static Progress create(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        boolean enabled = mode == Mode.ON || (mode == Mode.AUTO && System.console() != null);
        return enabled ? Progress.to(new ConsoleProgress(null)) : Progress.silent();
    }

    /**
     * Creates the driver's reporter with a bar that hands every rendered line to {@code sink} instead of the
     * terminal (logs, tests).
     *
     * @param sink receives the rendered bar, e.g. {@code "epoch 3/200  50% [====   ] 235/469 (0:00:01 /
     *     0:00:01) loss 0.1234 density 0.412 lambda 0.0310"}
     * @return an enabled reporter writing to {@code sink}
     */
    public static Progress toSink(Consumer<String> sink) {
        return Progress.to(new ConsoleProgress(Objects.requireNonNull(sink, "sink")));
    }

    @Override
    public void reset(String message, long max, String trailingMessage) {
        end();
        ProgressBarConsumer consumer = sink == null
                ? new ConsoleProgressBarConsumer(System.err, RENDER_WIDTH)
                : new DelegatingProgressBarConsumer(sink, RENDER_WIDTH);
        bar = new ProgressBarBuilder()
                .setTaskName(message)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(UPDATE_MILLIS)
                .setConsumer(consumer)
                .build();
        if (trailingMessage != null) {
            bar.setExtraMessage(trailingMessage);
        }
    }

    @Override
    public void start(long initialProgress) {
        if (bar != null) {
            bar.stepTo(initialProgress);
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void increment(long increment) {
        if (bar != null) {
            bar.stepBy(increment);
        }
    }

    @Override
    public void update(long progress, String message) {
        if (bar != null) {
            if (message != null) {
                bar.setExtraMessage(message);
            }
            bar.stepTo(progress);
        }
    }
}
