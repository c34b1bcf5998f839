package io.github.lagrange4j.tests.compaction;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.MnistBatches;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.Progress;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The gated MLP run the compaction tests share, trained once per JVM on genuine MNIST with {@link
 * SparsityRun#start}: constrained model-wise ε = 0.3, the first 5,000 training images, 3 epochs, batch 64,
 * Adam 1e-3 (weights) and 0.05 (log α), dual SGD 0.02 with restarts, seed 7, 1,000 test images per epoch.
 * Its run directory (config.json, model.params, ...) lives in a temporary directory deleted at JVM exit.
 */
final class TrainedMlpRun {

    static final RunSettings SETTINGS = RunSettings.quick().withObjective(o -> o.withEpsilons(0.3).withPenaltyLambda(0))
            .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05).withDualLearningRate(0.02)
                    .withBatchSize(64))
            .withSchedule(s -> s.withEpochs(3).withCheckpointEvery(3)).withSeed(7)
            .withData(d -> d.withTrainSubset(5_000).withTestSubset(1_000));

    private static RunResult result;

    private TrainedMlpRun() {}

    /** @return the finished run, trained on first use */
    static synchronized RunResult result() throws IOException {
        if (result == null) {
            Path dir = Files.createTempDirectory("l4j-compaction-run");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            StringWriter log = new StringWriter();
            result = SparsityRun.start(SETTINGS, dir.resolve("run"), Engine.getEngine("PyTorch"), Device.cpu(),
                    files(), Progress.silent(), new PrintWriter(log, true));
            System.out.print(log);
        }
        return result;
    }

    static IdxFileSet files() {
        return IdxFileSet.mnist(GenuineMnist.directory());
    }

    /**
     * Rebuilds a run's gated block from its config and model.params.
     *
     * @param kind the model
     * @param params the model.params file
     * @param manager the manager that owns the parameters
     * @return the initialised, loaded gated block
     */
    static SequentialBlock loadGated(ModelKind kind, Path params, NDManager manager) throws IOException {
        SequentialBlock block = (SequentialBlock) kind.build(true, false);
        block.initialize(manager, DataType.FLOAT32, kind.inputShape(1));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(e);
        }
        return block;
    }

    /**
     * Loads the first {@code n} genuine MNIST test images, standardised, shaped for a model.
     *
     * @return {images, labels} owned by {@code manager}
     */
    static NDArray[] testImages(ModelKind kind, int n, NDManager manager) throws IOException {
        MnistBatches test = MnistBatches.load(files(), Dataset.Usage.TEST, Normalization.MNIST_STANDARDIZED, n,
                kind.inputShape(1).slice(1), manager);
        return test.batch(manager, null, 0, n);
    }

    /** Inference logits of a block (arrays land in the input's manager). */
    static NDArray logits(Block block, NDArray x) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
