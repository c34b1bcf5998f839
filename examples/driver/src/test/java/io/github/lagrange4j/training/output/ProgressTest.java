package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A DJL progress display that records the calls it gets. */
    private static final class Recorder implements ai.djl.util.Progress {
        final List<String> calls = new ArrayList<>();

        @Override
        public void reset(String message, long max, String trailingMessage) {
            calls.add("reset " + message + " " + max);
        }

        @Override
        public void start(long initialProgress) {
            calls.add("start " + initialProgress);
        }

        @Override
        public void end() {
            calls.add("end");
        }

        @Override
        public void increment(long increment) {
            calls.add("increment " + increment);
        }

        @Override
        public void update(long progress, String message) {
            calls.add("update " + progress + " " + message);
        }
    }

    @Test
    void forwardsEpochsAndStepsToADjlProgressDisplay() {
        Recorder display = new Recorder();
        try (Progress progress = Progress.to(display)) {
            assertThat(progress.isEnabled()).isTrue();
            progress.startEpoch(2, 5, 2);
            progress.step(0.9, 0.8, 0.01);
            progress.step(0.5, 0.42, Double.NaN);
            assertThat(progress.epoch()).isEqualTo(2);
            assertThat(progress.stepsDone()).isEqualTo(2);
            assertThat(progress.stepsInEpoch()).isEqualTo(2);
            progress.startEpoch(3, 5, 1);
        }
        assertThat(display.calls).containsExactly("reset epoch 2/5 2", "start 0",
                "update 1 loss 0.9000 density 0.800 lambda 0.0100", "update 2 loss 0.5000 density 0.420 lambda -",
                "end", "reset epoch 3/5 1", "start 0", "end");
    }

    @Test
    void aSilentReporterStillCountsSteps() {
        try (Progress progress = Progress.silent()) {
            assertThat(progress.isEnabled()).isFalse();
            progress.startEpoch(1, 1, 3);
            progress.step(0.1, 0.2, 0.3);
            assertThat(progress.stepsDone()).isEqualTo(1);
        }
    }

    @Test
    void badArgumentsAreRejectedEvenWhenSilent() {
        Progress silent = Progress.silent();
        assertThatThrownBy(() -> silent.startEpoch(0, 3, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epoch must be in [1, 3], got 0");
        assertThatThrownBy(() -> silent.startEpoch(1, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epochs must be >= 1, got 0");
        assertThatThrownBy(() -> silent.startEpoch(1, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps must be >= 1, got 0");
        assertThatThrownBy(() -> Progress.to(null)).hasMessage("display");
    }
}
