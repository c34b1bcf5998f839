package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.output.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void rendersEpochStepsAndTheLatestValues() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Progress progress = ConsoleProgress.toSink(lines::add)) {
            assertThat(progress.isEnabled()).isTrue();
            progress.startEpoch(2, 5, 3);
            progress.step(0.9, 0.8, 0.01);
            progress.step(0.7, 0.6, 0.02);
            progress.step(0.5, 0.42, 0.031);
        }

        String last = lines.get(lines.size() - 1);
        assertThat(last).contains("epoch 2/5", "3/3", "loss 0.5000 density 0.420 lambda 0.0310");
    }

    @Test
    void aPenalizedRunShowsNoMultiplier() {
        assertThat(Progress.message(1.25, 0.5, Double.NaN)).isEqualTo("loss 1.2500 density 0.500 lambda -");
    }

    @Test
    void eachEpochGetsItsOwnBar() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Progress progress = ConsoleProgress.toSink(lines::add)) {
            progress.startEpoch(1, 2, 1);
            progress.step(0.3, 0.9, 0.0);
            progress.startEpoch(2, 2, 1);
            progress.step(0.2, 0.8, 0.1);
        }
        assertThat(lines).anyMatch(l -> l.contains("epoch 1/2") && l.contains("1/1"));
        assertThat(lines).anyMatch(l -> l.contains("epoch 2/2") && l.contains("lambda 0.1000"));
    }

    @Test
    void offPrintsNothingAtAll() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Progress progress = ConsoleProgress.create(ConsoleProgress.Mode.OFF)) {
            assertThat(progress.isEnabled()).isFalse();
            progress.startEpoch(1, 1, 2);
            progress.step(0.1, 0.2, 0.3);
            progress.step(0.1, 0.2, 0.3);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toByteArray()).isEmpty();
    }

    @Test
    void onDrawsTheBarOnStandardError() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Progress progress = ConsoleProgress.create(ConsoleProgress.Mode.ON)) {
            progress.startEpoch(1, 1, 2);
            progress.step(0.25, 0.5, 0.125);
            progress.step(0.25, 0.5, 0.125);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("epoch 1/1", "2/2", "loss 0.2500 density 0.500 lambda 0.1250");
    }

    @Test
    void autoIsSilentWithoutAConsole() {
        // Surefire runs tests without a console, so AUTO must resolve to silent here.
        assertThat(System.console()).isNull();
        assertThat(ConsoleProgress.create(ConsoleProgress.Mode.AUTO).isEnabled()).isFalse();
        assertThat(ConsoleProgress.create(ConsoleProgress.Mode.ON).isEnabled()).isTrue();
    }
}
