package io.github.lagrange4j.tests.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.compact.CompactedModel;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.EpochMetrics;
import org.junit.jupiter.api.Test;

/**
 * A gated MLP trained under a 0.3 density budget on genuine MNIST ({@link TrainedMlpRun}) and compacted
 * predicts the first 2,000 genuine test images with the same logits (within 1e-5) and has exactly the kept
 * parameter count the run reported, far below the 266,610 of the dense MLP.
 */
class TrainedMlpCompactionTest {

    @Test
    void compactedTrainedMlpMatchesTheGatedModelOnGenuineTestImages() throws Exception {
        RunResult run = TrainedMlpRun.result();
        EpochMetrics last = run.last();
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            SequentialBlock gated = TrainedMlpRun.loadGated(ModelKind.MLP,
                    run.runDirectory().resolve(SparsityRun.MODEL), manager);
            NetworkAccount account = NetworkAccount.of(GatedNetwork.of(gated));
            assertThat(account.prunedArchitecture()).isEqualTo(last.prunedArchitecture());

            CompactedModel compact = Compaction.compact(gated, manager);

            assertThat(compact.parameterCount()).isEqualTo(account.keptParameters())
                    .isEqualTo(last.keptParameters()).isLessThan(266_610 / 2);
            String[] units = last.prunedArchitecture().split("-");
            Linear first = (Linear) compact.block().getChildren().values().stream()
                    .filter(Linear.class::isInstance).findFirst().orElseThrow();
            assertThat(first.getParameters().get("weight").getArray().getShape().get(1))
                    .isEqualTo(Long.parseLong(units[0]));
            NDArray[] test = TrainedMlpRun.testImages(ModelKind.MLP, 2_000, manager);
            NDArray a = TrainedMlpRun.logits(gated, test[0]);
            NDArray b = TrainedMlpRun.logits(compact.block(), test[0]);
            float maxDifference = a.sub(b).abs().max().getFloat();
            System.out.printf("trained MLP %s: kept %d params, max |logit difference| %.3g on 2000 test images%n",
                    last.prunedArchitecture(), compact.parameterCount(), maxDifference);
            assertThat(maxDifference).isLessThan(1e-5f);
            assertThat(a.argMax(1).eq(b.argMax(1)).all().getBoolean()).isTrue();
            double accuracy = a.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).eq(test[1])
                    .sum().getLong() / 2_000.0;
            assertThat(accuracy).isGreaterThan(0.85);
        }
    }
}
