package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.MetricsLog;
import io.github.lagrange4j.training.output.Progress;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming in-process into fresh objects continues exactly: 2 epochs, then {@link SparsityRun#resume} for
 * epochs 3-4 with a new trainer, model, Adam and constrained optimizer, gives bit-for-bit the per-epoch
 * loss, test error, densities, multipliers and violations of an uninterrupted 4-epoch run (CPU PyTorch).
 * The first part stops after epoch 2 because it is configured for 2 epochs; the resume extends it to 4
 * with {@code allowConfigChange}, which rewrites the run's configuration.
 */
class InProcessResumeTest {

    @TempDir
    Path dir;

    /** The settings the CLI builds from {@link ResumeFixture#options(int)}. */
    static RunSettings settings(int epochs) {
        return RunSettings.quick().withObjective(o -> o.withEpsilons(0.5))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100))
                .withSchedule(s -> s.withEpochs(epochs)).withSeed(11)
                .withData(d -> d.withTrainSubset(2000).withTestSubset(1000));
    }

    @Test
    void twoEpochsThenResumeIntoFreshObjectsEqualsFourUninterruptedEpochs() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();
        Engine engine = Engine.getEngine("PyTorch");
        Path run = dir.resolve("run");
        StringWriter log = new StringWriter();

        RunResult first = SparsityRun.start(settings(2), run, engine, Device.cpu(), ResumeFixture.files(),
                Progress.silent(), new PrintWriter(log, true));
        RunResult rest = SparsityRun.resume(run, settings(ResumeFixture.EPOCHS), true, engine, Device.cpu(),
                ResumeFixture.files(), Progress.silent(), new PrintWriter(log, true));

        List<EpochMetrics> resumed = rest.epochs();
        double maxDifference = ResumeFixture.maxDifference(resumed, reference);
        System.out.printf("in-process resume after epoch 2 of %d: max |difference| to the uninterrupted run = %s%n"
                + "  reference multipliers per epoch: %s%n", ResumeFixture.EPOCHS, maxDifference,
                reference.stream().map(EpochMetrics::multipliers).toList());
        assertThat(first.epochs()).hasSize(2);
        assertThat(rest.startEpoch()).isEqualTo(3);
        assertThat(log.toString()).contains("resuming " + run + " from epoch 2 (checkpoint-000002.ckpt)");
        assertThat(ResumeFixture.withoutTime(resumed)).isEqualTo(ResumeFixture.withoutTime(reference));
        assertThat(ResumeFixture.withoutTime(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))))
                .isEqualTo(ResumeFixture.withoutTime(reference));
        assertThat(maxDifference).isZero();
        assertThat(RunManifest.read(run).configurationAs(RunSettings.class)).isEqualTo(settings(ResumeFixture.EPOCHS));
        assertThat(log.toString()).contains("configuration changed (allowConfigChange), config.json rewritten:\n"
                + "  schedule.epochs: 2 -> 4");
    }

    @Test
    void theReferenceRunMovesItsMultiplierEveryEpoch() throws Exception {
        List<EpochMetrics> reference = ResumeFixture.reference();

        List<Double> lambdas = reference.stream().map(m -> m.multipliers().values().iterator().next()).toList();

        assertThat(reference).allSatisfy(m -> assertThat(m.multipliers()).hasSize(1));
        assertThat(lambdas).doesNotHaveDuplicates();
        assertThat(lambdas.get(0)).isPositive();
    }
}
