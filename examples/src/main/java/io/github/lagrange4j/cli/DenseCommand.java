package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.Normalization;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j dense}: trains a plain dense 784-300-100-10 ReLU MLP on MNIST with Adam
 * (learning rate 10⁻³, batches of 100) and prints the test accuracy.
 *
 * <p>Order: validate options, pick engine and device, fetch and verify MNIST if needed, load both
 * splits into one data manager, train {@code --epochs} epochs (forward, softmax cross-entropy,
 * backward, Adam step per batch), count correct test predictions, close everything. The last result
 * is kept for callers that run the command in-process ({@link #lastResult()}).
 */
@Command(name = "dense", mixinStandardHelpOptions = true,
        description = "Train a dense 784-300-100-10 MLP on MNIST or Fashion-MNIST (Adam 1e-3, batch 100) and print its test accuracy.")
public final class DenseCommand implements Callable<Integer> {

    private static final int BATCH_SIZE = 100;
    private static final float LEARNING_RATE = 1e-3f;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineOption engineOption;

    @Mixin
    private DeviceOption deviceOption;

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N",
            description = "Training epochs, >= 1 (default: ${DEFAULT-VALUE}).")
    private int epochs = 1;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
            description = "Random seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    private int seed = 42;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    private String dataset = "mnist";

    @Option(names = "--subset", paramLabel = "N",
            description = "Train on the first N training images only, 1 <= N <= 60000 (default: all).")
    private Integer subset;

    private DenseResult lastResult;

    /**
     * Returns the result of the last successful run of this command object.
     *
     * @return the result, or null if none
     */
    public DenseResult lastResult() {
        return lastResult;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (epochs < 1) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--epochs': " + epochs + " (must be >= 1)");
        }
        if (subset != null && (subset < 1 || subset > 60_000)) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--subset': " + subset + " (must be in [1, 60000])");
        }
        if (!"mnist".equals(dataset) && !"fashion-mnist".equals(dataset)) {
            throw new CommandLine.ParameterException(commandLine,
                    "Invalid value for option '--dataset': '" + dataset + "' (must be mnist or fashion-mnist)");
        }
        Engine engine = engineOption.engine();
        Device device = deviceOption.device(engine);
        PrintWriter out = commandLine.getOut();

        IdxFileSet files = RunContext.files(commandLine, dataset, dataDir, out);
        engine.setRandomSeed(seed);
        lastResult = train(engine, device, files, out);
        out.printf("test accuracy: %.2f%% (%d/%d) on %s after %d epoch(s) on %d training images, %s on %s, seed %d%n",
                100 * lastResult.testAccuracy(), lastResult.testCorrect(), lastResult.testExamples(), files.name(),
                epochs, lastResult.trainExamples(), lastResult.engine(), lastResult.device(), seed);
        out.flush();
        return 0;
    }

    private DenseResult train(Engine engine, Device device, IdxFileSet files, PrintWriter out) throws Exception {
        try (NDManager data = engine.newBaseManager(device);
                Model model = Model.newInstance("dense-mlp", device, engine.getEngineName())) {
            MnistDataset.Builder trainBuilder = MnistDataset.builder().setFiles(files).setManager(data)
                    .optNormalization(Normalization.MNIST_STANDARDIZED).setSampling(BATCH_SIZE, true);
            if (subset != null) {
                trainBuilder.optSubset(subset);
            }
            MnistDataset train = trainBuilder.build();
            MnistDataset test = MnistDataset.builder().setFiles(files).setManager(data)
                    .optNormalization(Normalization.MNIST_STANDARDIZED).optUsage(Dataset.Usage.TEST).setSampling(BATCH_SIZE, false).build();
            train.prepare();
            test.prepare();

            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(300).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(100).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(10).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH_SIZE, 784));
                long start = System.nanoTime();
                double loss = 0;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    loss = trainEpoch(trainer, train);
                    out.printf("epoch %d/%d: mean training loss %.4f (%.1f s)%n", epoch, epochs, loss,
                            (System.nanoTime() - start) / 1e9);
                    out.flush();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long correct = countCorrect(trainer, test);
                return new DenseResult(engine.getEngineName(), device.toString(), seed, epochs, train.size(), loss,
                        correct, test.size(), seconds);
            }
        }
    }

    private static double trainEpoch(Trainer trainer, MnistDataset train) throws Exception {
        double lossSum = 0;
        long examples = 0;
        for (Batch batch : trainer.iterateDataset(train)) {
            try (batch; GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData());
                NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                collector.backward(loss);
                lossSum += loss.getFloat() * batch.getSize();
                examples += batch.getSize();
            }
            trainer.step();
        }
        return lossSum / examples;
    }

    private static long countCorrect(Trainer trainer, MnistDataset test) throws Exception {
        long correct = 0;
        for (Batch batch : trainer.iterateDataset(test)) {
            try (batch) {
                NDArray predicted = trainer.evaluate(batch.getData()).singletonOrThrow().argMax(1);
                NDArray labels = batch.getLabels().singletonOrThrow().toType(predicted.getDataType(), false);
                correct += predicted.eq(labels).countNonzero().getLong();
            }
        }
        return correct;
    }
}
