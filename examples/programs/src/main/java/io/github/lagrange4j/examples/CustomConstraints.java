package io.github.lagrange4j.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.problem.ConstraintTerm;
import io.github.lagrange4j.l0.problem.DensityConstraints;
import io.github.lagrange4j.l0.problem.L0Problem;
import io.github.lagrange4j.models.GatedMlp;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Composes constraints in code with the library API directly: the gated MLP learns MNIST subject to an
 * expected-MAC budget (built into lagrange4j) and a cap on one layer's density (written by the user,
 * {@link LayerDensityCap}).
 *
 * <pre>
 *   minimise    CE(model(x), y)
 *   subject to  E[MACs] / MACs(dense) − budget ≤ 0          λ_mac
 *               density(layer k) − cap ≤ 0                   λ_cap
 *
 *   primal:  Adam on ∇ [CE + λ_mac · g_mac + λ_cap · g_cap]   (weights at --lr, gates' log α at --gate-lr)
 *   dual:    λ ← max(0, λ + η_dual · g)                        (restarted to 0 once g is strictly satisfied)
 * </pre>
 *
 * <p>(Gallego-Posada, Ramirez et al., "Controlled Sparsity via Constrained Optimization", NeurIPS 2022.)
 * Order of calls: build the model and its DJL {@link Trainer}; describe the gated layers
 * ({@link GatedNetwork}); state the problem ({@link L0Problem}); pick the solver
 * ({@link ConstrainedOptimizer}); call {@code step(batch)} for every batch; read the accounting
 * ({@link NetworkAccount}).
 */
public final class CustomConstraints {

    /**
     * What the run reached.
     *
     * @param engine the engine of the model's arrays
     * @param macBudget the allowed fraction of the dense network's MACs
     * @param initialMacFraction the expected MAC fraction before training
     * @param macFraction the expected MAC fraction after training, {@code E[MACs] / MACs(dense)}
     * @param keptMacFraction the MAC fraction of the pruned network (deterministic gates, masks intersected)
     * @param macMultiplier the final λ_mac
     * @param peakMacMultiplier the largest λ_mac of the run (positive iff the budget was ever violated)
     * @param cappedLayer the capped layer: "pixels", "hidden1" or "hidden2"
     * @param cap the cap on its density
     * @param initialCappedDensity that layer's expected density before training
     * @param cappedDensity that layer's expected density after training
     * @param capMultiplier the final λ_cap
     * @param peakCapMultiplier the largest λ_cap of the run
     * @param accuracy the test accuracy with deterministic gates
     * @param prunedArchitecture the kept gates per layer, e.g. {@code 160-120-40}
     */
    public record Result(String engine, double macBudget, double initialMacFraction, double macFraction,
            double keptMacFraction, double macMultiplier, double peakMacMultiplier, String cappedLayer, double cap,
            double initialCappedDensity, double cappedDensity, double capMultiplier, double peakCapMultiplier,
            double accuracy, String prunedArchitecture) {}

    @Command(name = "CustomConstraints",
            description = "Trains the gated MLP under an expected-MAC budget plus a cap on one layer's density.")
    static final class Options {
        @Mixin
        ExampleOptions common = new ExampleOptions();

        @Option(names = "--mac-budget", paramLabel = "F",
                description = "Allowed fraction of the dense MACs, in [0, 1] (default: ${DEFAULT-VALUE}).")
        double macBudget = 0.25;

        @Option(names = "--cap-layer", paramLabel = "K",
                description = "Gated layer whose density is capped: 0 (pixels), 1 (hidden-1) or 2 (hidden-2)"
                        + " (default: ${DEFAULT-VALUE}).")
        int capLayer = 2;

        @Option(names = "--cap", paramLabel = "D",
                description = "Highest density of that layer, in [0, 1] (default: ${DEFAULT-VALUE}).")
        double cap = 0.4;
    }

    /** The gated layers of the MLP 784-300-100-10, named by what their gates switch off. */
    private static final String[] LAYERS = {"pixels", "hidden1", "hidden2"};

    private CustomConstraints() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), CustomConstraints::runExample);
    }

    /**
     * Trains under both constraints and returns what the run reached.
     *
     * @param args the options
     * @return the result
     * @throws IOException if MNIST cannot be read or fetched
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        ExampleOptions c = o.common;
        c.validate();
        ExampleOptions.requireFraction("--mac-budget", o.macBudget);
        ExampleOptions.requireFraction("--cap", o.cap);
        if (o.capLayer < 0 || o.capLayer >= LAYERS.length) {
            throw new IllegalArgumentException("--cap-layer must be in [0, 2], got " + o.capLayer);
        }
        PrintStream out = System.out;
        IdxFileSet files = Examples.mnist(c.dataDir(), out);
        Engine engine = Examples.engine(c.engineName());
        engine.setRandomSeed((int) c.seed);

        try (Model model = Model.newInstance("custom-constraints", engine.defaultDevice(), engine.getEngineName())) {
            model.setBlock(GatedMlp.build());
            Dataset train = mnist(files, Dataset.Usage.TRAIN, c.trainSubset, c.batchSize, model);
            Dataset test = mnist(files, Dataset.Usage.TEST, c.testSubset, 1000, model);

            // Primal side: Adam on weights and biases, the gates' log α at their own learning rate.
            float gateScale = (float) (c.gateLr / c.lr);
            StatefulAdam adam = StatefulAdam.builder()
                    .optLearningRateTracker(Tracker.fixed((float) c.lr))
                    .optLearningRateMultiplier(key -> LogAlpha.isGateParameter(key) ? gateScale : 1f)
                    .build();
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(c.batchSize, 784));
                adam.bindParameterNames(model.getBlock());
                GatedNetwork network = GatedNetwork.of(model.getBlock());

                // The problem: the task loss, the library's MAC budget, and our own cap on one layer.
                ConstraintTerm<Batch> macs = DensityConstraints.macBudget(network, o.macBudget);
                ConstraintTerm<Batch> cap = new LayerDensityCap<>(
                        "density_cap_" + LAYERS[o.capLayer], network, o.capLayer, o.cap);
                L0Problem<Batch> problem = L0Problem.<Batch>builder()
                        .setTaskLoss(b -> trainer.getLoss().evaluate(b.getLabels(), trainer.forward(b.getData())))
                        .addConstraint(macs)
                        .addConstraint(cap)
                        .build();

                // The solver: simultaneous gradient descent-ascent on the Lagrangian.
                ConstrainedOptimizer<Batch> optimizer = ConstrainedOptimizer.<Batch>builder()
                        .setProblem(problem)
                        .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer))
                        .setDualOptimizer(DualSgd.of(c.dualLr))
                        .optDualRestarts(true)
                        .build();

                // Training: one optimizer step per batch (the problem keeps log α in its range).
                NetworkAccount before = NetworkAccount.of(network);
                out.printf(Locale.ROOT, "start: E[MACs] %.3f of dense (budget %.2f), density of %s %.3f (cap %.2f)%n",
                        macFraction(before), o.macBudget, LAYERS[o.capLayer],
                        before.layers().get(o.capLayer).expectedDensity(), o.cap);
                double[] lambda = new double[2];
                double[] peak = new double[2];
                for (int epoch = 1; epoch <= c.epochs; epoch++) {
                    long start = System.nanoTime();
                    for (Batch batch : iterate(trainer, train)) {
                        StepRecord step;
                        try (batch) {
                            step = optimizer.step(batch);
                        }
                        lambda[0] = step.multiplier(macs.constraint().name())[0];
                        lambda[1] = step.multiplier(cap.constraint().name())[0];
                        peak[0] = Math.max(peak[0], lambda[0]);
                        peak[1] = Math.max(peak[1], lambda[1]);
                    }
                    NetworkAccount now = NetworkAccount.of(network);
                    out.printf(Locale.ROOT, "epoch %d  E[MACs] %.3f  lambda_mac %.3f  density(%s) %.3f  lambda_cap %.3f"
                                    + "  pruned %s  %.1fs%n", epoch, macFraction(now), lambda[0], LAYERS[o.capLayer],
                            now.layers().get(o.capLayer).expectedDensity(), lambda[1], now.prunedArchitecture(),
                            (System.nanoTime() - start) / 1e9);
                }

                NetworkAccount after = NetworkAccount.of(network);
                double accuracy = accuracy(trainer, test);
                out.printf(Locale.ROOT, "test accuracy %.2f%%; pruned %s keeps %.1f%% of the dense MACs;"
                                + " peak lambda_mac %.3f, peak lambda_cap %.3f%n", 100 * accuracy,
                        after.prunedArchitecture(), 100.0 * after.keptMacs() / after.totalMacs(), peak[0], peak[1]);
                return new Result(model.getNDManager().getEngine().getEngineName(), o.macBudget,
                        macFraction(before), macFraction(after), (double) after.keptMacs() / after.totalMacs(),
                        lambda[0], peak[0], LAYERS[o.capLayer], o.cap,
                        before.layers().get(o.capLayer).expectedDensity(),
                        after.layers().get(o.capLayer).expectedDensity(), lambda[1], peak[1], accuracy,
                        after.prunedArchitecture());
            }
        }
    }

    /** The expected MACs as a fraction of the dense network's. */
    private static double macFraction(NetworkAccount account) {
        return account.expectedMacs() / account.totalMacs();
    }

    /** One split of MNIST as a DJL data set, its arrays owned by the model's manager. */
    private static Dataset mnist(IdxFileSet files, Dataset.Usage usage, int subset, int batchSize, Model model)
            throws IOException {
        MnistDataset.Builder builder = MnistDataset.builder().setFiles(files).setManager(model.getNDManager())
                .optUsage(usage).setSampling(batchSize, usage == Dataset.Usage.TRAIN);
        if (subset > 0) {
            builder.optSubset(subset);
        }
        MnistDataset dataset = builder.build();
        dataset.prepare();
        return dataset;
    }

    /** The fraction of test images classified correctly, gates at their deterministic test-time values. */
    private static double accuracy(Trainer trainer, Dataset test) throws IOException {
        long correct = 0;
        long total = 0;
        for (Batch batch : iterate(trainer, test)) {
            try (batch; NDScope ignored = new NDScope()) {
                NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
                NDArray predicted = logits.argMax(1).toType(DataType.FLOAT32, false);
                correct += predicted.eq(batch.getLabels().singletonOrThrow()).sum().getLong();
                total += predicted.size();
            }
        }
        return (double) correct / total;
    }

    private static Iterable<Batch> iterate(Trainer trainer, Dataset dataset) throws IOException {
        try {
            return trainer.iterateDataset(dataset);
        } catch (TranslateException e) {
            throw new IOException("cannot iterate " + dataset + ": " + e.getMessage(), e);
        }
    }
}
