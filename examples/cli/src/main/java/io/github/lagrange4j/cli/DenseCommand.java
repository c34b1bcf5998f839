package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.DenseTrainer;
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
 * <p>Order: validate options, pick engine and device, fetch and verify MNIST if needed, train {@code
 * --epochs} epochs with {@link DenseTrainer} (the gated runs' data path and Adam: forward, softmax
 * cross-entropy, backward, Adam step per batch), count correct test predictions, close everything. The last result
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
    private TrainingSetup setup;

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
        PrintWriter out = commandLine.getOut();
        TrainingSetup.Environment env = setup.prepare(commandLine, dataset, ModelKind.MLP, false, out);
        Engine engine = env.engine();
        Device device = env.device();
        IdxFileSet files = env.files();
        engine.setRandomSeed(seed);
        lastResult = train(engine, device, files, out);
        out.printf("test accuracy: %.2f%% (%d/%d) on %s after %d epoch(s) on %d training images, %s on %s, seed %d%n",
                100 * lastResult.testAccuracy(), lastResult.testCorrect(), lastResult.testExamples(), files.name(),
                epochs, lastResult.trainExamples(), lastResult.engine(), lastResult.device(), seed);
        out.flush();
        return 0;
    }

    private DenseResult train(Engine engine, Device device, IdxFileSet files, PrintWriter out) throws Exception {
        try (DenseTrainer trainer = new DenseTrainer(ModelKind.MLP, BATCH_SIZE, LEARNING_RATE, seed,
                subset == null ? 0 : subset, engine, device, files)) {
            long start = System.nanoTime();
            double loss = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                loss = trainer.trainEpoch(epoch);
                out.printf("epoch %d/%d: mean training loss %.4f (epoch %.2f s, total %.1f s)%n", epoch, epochs,
                        loss, (System.nanoTime() - epochStart) / 1e9, (System.nanoTime() - start) / 1e9);
                out.flush();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int testExamples = trainer.testExamples();
            long correct = Math.round((1 - trainer.testError()) * testExamples);
            return new DenseResult(engine.getEngineName(), device.toString(), seed, epochs, trainer.trainExamples(),
                    loss, correct, testExamples, seconds);
        }
    }
}
