package io.github.lagrange4j.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options the three linear-classifier MNIST examples share ({@link RateConstrainedMnist},
 * {@link FeasibleLearningMnist}, {@link ProxyLagrangianMnist}); mix in with {@code @Mixin}. Each example
 * validates them itself, with its own messages.
 */
final class LinearMnistOptions {

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 500;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 0.01;

    @Option(names = "--engine", paramLabel = "NAME", description = "PyTorch or MXNet (default: ${DEFAULT-VALUE}).")
    String engine = "PyTorch";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "MNIST directory (default: the project's).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the batch order (default: ${DEFAULT-VALUE}).")
    long seed = 1;
}
