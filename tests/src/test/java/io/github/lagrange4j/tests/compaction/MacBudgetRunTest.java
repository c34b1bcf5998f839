package io.github.lagrange4j.tests.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.cli.ExportCommand;
import io.github.lagrange4j.cli.L0TrainCommand;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.tests.foundation.CliRun;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.BudgetCheck;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.ModelExport;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MAC budget end to end on genuine MNIST through the command line: {@code train --preset certified --scope
 * MACS --epsilon 0.33} (MLP, the first 5,000 training images, 2 + 1 epochs) fixes a mask whose compacted model
 * keeps between 32% and 33% of the dense MLP's 266,200 MACs per image, every epoch's metrics judge the budget
 * on those MACs, and {@code export} certifies it: the exported DJL model's weights (one MAC per weight for dense
 * layers) count the same MACs, and the export prints the budget as met.
 */
class MacBudgetRunTest {

    private static final double F = 0.33;
    private static final long DENSE_MACS = 784L * 300 + 300L * 100 + 100L * 10;

    @TempDir
    Path dir;

    @Test
    void aMacBudgetRunKeepsAndCertifiesItsFractionOfTheDenseMacs() throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--preset", "certified", "--scope", "MACS", "--epsilon", String.valueOf(F),
                "--epochs", "2", "--finetune-epochs", "1", "--train-subset", "5000", "--validation-size", "1000",
                "--test-subset", "1000", "--seed", "3", "--no-progress", "--out", run.toString(), "--data-dir",
                GenuineMnist.directory().toString());
        System.out.print(train.out());
        assertThat(train.exitCode()).as(train.err()).isZero();
        RunResult result = train.<L0TrainCommand>command("train").lastResult();
        assertThat(result.settings().objective().scope()).isEqualTo(ConstraintScope.MACS);
        assertThat(result.epochs()).extracting(EpochMetrics::phase)
                .containsExactly(EpochMetrics.TRAIN, EpochMetrics.TRAIN, EpochMetrics.FINETUNE);
        // the constraint the multipliers enforce is the expected-MAC budget, its violation on the MAC fraction
        assertThat(result.last().targetDensities()).containsOnlyKeys("l0_expected_macs");
        assertThat(train.out()).contains("(g = expected MACs / dense MACs - eps)")
                .contains("fine-tuning 1 epochs with a fixed mask:").contains("budget met");

        EpochMetrics masked = result.last();
        double keptMacs = (double) masked.keptMacs() / DENSE_MACS;
        assertThat(keptMacs).as("kept MAC fraction of the fixed mask").isBetween(F - 0.01, F);
        assertThat(masked.budgetMet()).isTrue();
        assertThat(1 - masked.testError()).isGreaterThan(0.7);

        Path out = dir.resolve("export");
        CliRun export = CliRun.of("export", "--run", run.toString(), "--out", out.toString(), "--repeats", "1",
                "--engine", "PyTorch", "--data-dir", GenuineMnist.directory().toString());
        System.out.print(export.out());
        assertThat(export.exitCode()).as(export.err()).isZero();
        ModelExport.Result r = export.<ExportCommand>command("export").lastResult();
        assertThat(r.budget().met()).isTrue();
        BudgetCheck.Entry entry = r.budget().entries().get(0);
        assertThat(r.budget().entries()).hasSize(1);
        assertThat(entry.scope()).isEqualTo("macs");
        assertThat(entry.counted()).isEqualTo(BudgetCheck.MACS);
        assertThat(entry.epsilon()).isEqualTo(F);
        assertThat(entry.keptFraction()).isEqualTo(keptMacs).isBetween(F - 0.01, F);
        assertThat(export.out()).contains("budget " + entry.describe()).contains("of the MACs").contains(": met");

        // the exported model itself: its dense layers do one multiply-accumulate per weight
        try (Model model = Model.newInstance(r.modelName(), "PyTorch")) {
            SequentialBlock skeleton = Compaction.skeleton((SequentialBlock) ModelKind.MLP.build(true, false),
                    r.keptOutputs());
            model.setBlock(skeleton);
            model.load(out, r.modelName());
            long weights = 0;
            for (var p : skeleton.getParameters()) {
                if (p.getKey().endsWith("weight")) {
                    weights += p.getValue().getArray().size();
                }
            }
            assertThat(weights).isEqualTo(masked.keptMacs());
            assertThat((double) weights / DENSE_MACS).isBetween(F - 0.01, F);
        }
    }
}
