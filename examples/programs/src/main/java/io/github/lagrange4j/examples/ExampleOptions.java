package io.github.lagrange4j.examples;

import io.github.lagrange4j.cli.EngineOption.EngineName;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every example accepts (mix in with {@code @Mixin}); defaults follow the {@code quick}
 * preset of the training driver, so that the budget bites within a few epochs of full MNIST.
 *
 * <p>Call {@link #validate()} after parsing: every bad value fails with an
 * {@link IllegalArgumentException} naming the option and its allowed range.
 */
public final class ExampleOptions {

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--train-subset", paramLabel = "N",
            description = "Train on the first N training images, 0 = all 60,000 (default: ${DEFAULT-VALUE}).")
    int trainSubset = 0;

    @Option(names = "--test-subset", paramLabel = "N",
            description = "Evaluate on the first N test images, 0 = all 10,000 (default: ${DEFAULT-VALUE}).")
    int testSubset = 0;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "DJL engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EngineName engine = EngineName.PyTorch;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $LAGRANGE4J_DATA or ~/.lagrange4j/data/mnist; fetched if absent).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Adam learning rate of weights and biases (default: ${DEFAULT-VALUE}).")
    double lr = 1e-3;

    @Option(names = "--gate-lr", paramLabel = "LR",
            description = "Adam learning rate of the gates' log alpha (default: ${DEFAULT-VALUE}).")
    double gateLr = 2e-2;

    @Option(names = "--dual-lr", paramLabel = "LR",
            description = "Dual ascent step size of the multipliers (default: ${DEFAULT-VALUE}).")
    double dualLr = 3e-2;

    /**
     * Checks every option.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public void validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (trainSubset < 0 || trainSubset > 60_000) {
            throw new IllegalArgumentException("--train-subset must be in [0, 60000] (0 = all), got " + trainSubset);
        }
        if (testSubset < 0 || testSubset > 10_000) {
            throw new IllegalArgumentException("--test-subset must be in [0, 10000] (0 = all), got " + testSubset);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        requirePositive("--lr", lr);
        requirePositive("--gate-lr", gateLr);
        requirePositive("--dual-lr", dualLr);
    }

    static void requirePositive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be > 0 and finite, got " + value);
        }
    }

    static void requireFraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " must be in [0, 1], got " + value);
        }
    }

    /**
     * Returns the number of epochs.
     *
     * @return the epochs
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the engine name as DJL registers it.
     *
     * @return "PyTorch" or "MXNet"
     */
    public String engineName() {
        return engine.name();
    }

    /**
     * Returns the data directory given with {@code --data-dir}, or null.
     *
     * @return the directory or null
     */
    public Path dataDir() {
        return dataDir;
    }
}
