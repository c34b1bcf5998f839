package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with a fine-tuning phase (2 constrained epochs, then 2 fixed-mask epochs) on genuine MNIST (2,000
 * training images, 1,000 held out for validation, 1,000 test images): the fixed mask fills the model-wise
 * budget ε = 0.5 within one point under the true kept count, holds during fine-tuning, and a resume from
 * the phase boundary (checkpoint of epoch 2, before the mask) or from inside the phase (epoch 3) repeats the
 * uninterrupted run bit for bit, metrics and final model. The same with the fine-tuning options of the
 * certified recipe: a budget margin (the multiplier enforces ε − m), weight decay and hard-concrete noise on
 * the kept gates while fine-tuning (the gate samples must repeat after a resume, the mask must not move).
 */
class FinetuneResumeTest {

    @TempDir
    Path dir;

    static RunSettings settings() {
        return RunSettings.quick().withObjective(o -> o.withEpsilons(0.5))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100))
                .withSchedule(s -> s.withEpochs(2).withFinetuneEpochs(2)).withSeed(11)
                .withData(d -> d.withTrainSubset(2000).withTestSubset(1000).withValidationSize(1000));
    }

    @Test
    void theFixedMaskFillsTheBudgetAndResumeAcrossThePhaseBoundaryIsExact() throws Exception {
        List<EpochMetrics> epochs = fullRunThenResumes(settings(), "run");
        assertThat(epochs.get(3).trainLoss()).isLessThan(epochs.get(2).trainLoss());
    }

    @Test
    void noisyFineTuningWithWeightDecayAndMarginResumesExactly() throws Exception {
        RunSettings noisy = settings().withObjective(o -> o.withBudgetMargin(0.02))
                .withSchedule(s -> s.withFinetuneWeightDecay(1e-4).withFinetuneGateNoise(1.6));
        List<EpochMetrics> epochs = fullRunThenResumes(noisy, "noisy");
        assertThat(epochs.get(1).targetDensities().get("l0_model_density")).isCloseTo(0.48, within(1e-12));
        assertThat(epochs.get(3).testError()).isLessThan(0.5);
    }

    private List<EpochMetrics> fullRunThenResumes(RunSettings settings, String name) throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        Path run = dir.resolve(name);
        StringWriter log = new StringWriter();
        RunResult full = SparsityRun.start(settings, run, engine, Device.cpu(), ResumeFixture.files(),
                Progress.silent(), new PrintWriter(log, true));
        List<EpochMetrics> epochs = full.epochs();
        byte[] model = Files.readAllBytes(run.resolve(SparsityRun.MODEL));

        assertThat(epochs).extracting(EpochMetrics::phase)
                .containsExactly(EpochMetrics.TRAIN, EpochMetrics.TRAIN, EpochMetrics.FINETUNE, EpochMetrics.FINETUNE);
        assertThat(epochs).allSatisfy(m -> assertThat(m.validationError()).isBetween(0.0, 0.5));
        assertThat(log.toString()).contains("fine-tuning 2 epochs with a fixed mask: pruned ");
        EpochMetrics third = epochs.get(2);
        EpochMetrics fourth = epochs.get(3);
        double kept = fourth.keptParameters() / 266_610.0;
        System.out.printf("fine-tuned MLP: kept %.4f of the parameters (eps 0.5), test error %.4f -> %.4f -> %.4f%n",
                kept, epochs.get(1).testError(), third.testError(), fourth.testError());
        assertThat(kept).isBetween(0.49, 0.5);
        assertThat(fourth.keptParameters()).isEqualTo(third.keptParameters());
        assertThat(fourth.prunedArchitecture()).isEqualTo(third.prunedArchitecture());
        assertThat(third.budgetMet()).isTrue();
        assertThat(fourth.budgetMet()).isTrue();
        assertThat(fourth.multipliers()).isEqualTo(third.multipliers());
        assertThat(full.bestFeasibleEpoch()).isPresent();
        assertThat(full.bestFeasibleEpoch().get().budgetMet()).isTrue();

        for (int keep : new int[] {3, 2}) {
            for (int e = keep + 1; e <= 4; e++) {
                Files.deleteIfExists(run.resolve(SparsityRun.CHECKPOINTS).resolve(CheckpointStore.fileName(e)));
            }
            Files.delete(run.resolve(SparsityRun.MODEL));
            StringWriter resumeLog = new StringWriter();
            RunResult resumed = SparsityRun.resume(run, null, false, engine, Device.cpu(), ResumeFixture.files(),
                    Progress.silent(), new PrintWriter(resumeLog, true));
            assertThat(resumeLog.toString()).contains("from epoch " + keep);
            assertThat(resumed.startEpoch()).isEqualTo(keep + 1);
            assertThat(ResumeFixture.withoutTime(resumed.epochs())).as("resumed after epoch %s", keep)
                    .isEqualTo(ResumeFixture.withoutTime(epochs));
            assertThat(Files.readAllBytes(run.resolve(SparsityRun.MODEL))).as("model after epoch %s", keep)
                    .isEqualTo(model);
        }
        return epochs;
    }
}
