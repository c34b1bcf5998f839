package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.multiplier.MultiplierModel;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizerBuilder;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.examples.MnistArrays.Split;
import io.github.lagrange4j.models.data.IdxFileSet;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Feasible learning on MNIST: no objective, one constraint per training example, each with its own
 * (indexed) multiplier (Ramirez et al., "Feasible learning", AISTATS 2025), beside plain empirical risk
 * minimisation of the same softmax-linear model.
 *
 * <pre>
 *   find        W, b
 *   subject to  CE(W x_i + b, y_i) − ε ≤ 0        for every training example i       λ_i
 *
 *   primal:  Adam on ∇ Σ_{i in batch} λ_i (CE_i − ε)      (λ_i starts at 1: the first steps are ERM's)
 *   dual:    λ_i ← max(0, λ_i + η_dual (CE_i − ε))       only for the examples of the batch
 *   verdict: every training example judged by the feasibility report
 * </pre>
 *
 * <p>{@code --multiplier-model LR} replaces the 10,000 free multipliers by a model of the images,
 * {@code λ_i = relu(v · x_i + c)} ({@link MultiplierModel}; Narasimhan et al., NeurIPS 2020): 785 dual
 * parameters instead of one per example, trained by the dual step, and defined for images never seen.
 */
public final class FeasibleLearningMnist {

    /**
     * What the two runs reached.
     *
     * @param examples the number of training examples (constraints)
     * @param epsilon the per-example loss bound
     * @param ermMet training examples with {@code CE <= epsilon} after ERM
     * @param feasibleMet the same after feasible learning (from its feasibility report)
     * @param ermWorstLoss the largest training-example loss after ERM
     * @param feasibleWorstLoss the same after feasible learning
     * @param ermAccuracy test accuracy after ERM
     * @param feasibleAccuracy test accuracy after feasible learning
     */
    public record Result(int examples, double epsilon, int ermMet, int feasibleMet, double ermWorstLoss,
            double feasibleWorstLoss, double ermAccuracy, double feasibleAccuracy) {}

    @Command(name = "FeasibleLearningMnist",
            description = "Trains a linear MNIST classifier with one loss constraint per training example.")
    static final class Options {
        @Mixin
        LinearMnistOptions mnist = new LinearMnistOptions();

        @Option(names = "--examples", paramLabel = "N", description = "Training examples used (default: ${DEFAULT-VALUE}).")
        int examples = 10_000;

        @Option(names = "--epsilon", paramLabel = "E",
                description = "Bound on each example's cross-entropy, > 0 (default: ${DEFAULT-VALUE}).")
        double epsilon = 0.5;

        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 5;

        @Option(names = "--dual-lr", paramLabel = "LR", description = "Dual learning rate (default: ${DEFAULT-VALUE}).")
        double dualLr = 0.1;

        @Option(names = "--multiplier-model", paramLabel = "LR",
                description = "Give the multipliers by a linear model of the images, lambda_i = relu(v . x_i + c),"
                        + " trained at this step; 0 keeps one free multiplier per image (default: ${DEFAULT-VALUE}).")
        double multiplierModelLr = 0;

    }

    /** A batch: the images and labels of some training examples, and their indices (the constraints). */
    private record Batch(Split data, NDArray indices) {}

    private FeasibleLearningMnist() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), FeasibleLearningMnist::runExample);
    }

    /**
     * Trains with ERM and with feasible learning, and compares the per-example losses.
     *
     * @param args the options
     * @return the result
     * @throws IOException if MNIST cannot be read or fetched
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        if (o.examples < 1 || o.examples > 60_000) {
            throw new IllegalArgumentException("--examples must be in [1, 60000], got " + o.examples);
        }
        ExampleOptions.requirePositive("--epsilon", o.epsilon);
        ExampleOptions.requirePositive("--lr", o.mnist.lr);
        ExampleOptions.requirePositive("--dual-lr", o.dualLr);
        if (!(o.multiplierModelLr >= 0) || Double.isInfinite(o.multiplierModelLr)) {
            throw new IllegalArgumentException("--multiplier-model must be finite and >= 0, got " + o.multiplierModelLr);
        }
        if (o.epochs < 1 || o.mnist.batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1, got "
                    + o.epochs + " and " + o.mnist.batchSize);
        }
        PrintStream out = System.out;
        IdxFileSet files = Examples.mnist(o.mnist.dataDir, out);
        Engine engine = Examples.engine(o.mnist.engine);
        try (NDManager manager = engine.newBaseManager()) {
            Split train = MnistArrays.read(manager, files.trainImages(), files.trainLabels()).range(0, o.examples);
            Split test = MnistArrays.read(manager, files.testImages(), files.testLabels());
            double[] erm = train(o, false, train, test, manager, out);
            double[] feasible = train(o, true, train, test, manager, out);
            return new Result(o.examples, o.epsilon, (int) erm[0], (int) feasible[0], erm[1], feasible[1], erm[2],
                    feasible[2]);
        }
    }

    /** Trains one model; returns {examples met, worst training loss, test accuracy}. */
    private static double[] train(Options o, boolean feasible, Split train, Split test, NDManager manager,
            PrintStream out) {
        try (NDManager model = manager.newSubManager()) {
            NDArray w = model.zeros(new Shape(784, 10));
            NDArray b = model.zeros(new Shape(10));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("weight", w);
            params.put("bias", b);
            Constraint fit = Constraint.builder().setName("example_loss").setType(ConstraintType.INEQUALITY)
                    .setSize(train.size()).optMultiplierKind(MultiplierKind.INDEXED).optInitialMultiplier(1.0).build();
            ConstrainedMinimizationProblem<Batch> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Batch batch) {
                    NDArray losses = losses(w, b, batch.data());
                    if (!feasible) {
                        return new CmpState(losses.mean(), Map.of());
                    }
                    return CmpState.of(null, fit, ConstraintState.of(losses.sub(o.epsilon)).withIndices(batch.indices()));
                }

                @Override
                public List<Constraint> constraints() {
                    return feasible ? List.of(fit) : List.of();
                }
            };
            ConstrainedOptimizerBuilder<Batch> builder = ConstrainedOptimizer.<Batch>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed((float) o.mnist.lr)).build(), params))
                    .setDualOptimizer(DualSgd.of(o.dualLr));
            if (feasible && o.multiplierModelLr > 0) {
                // lambda_i = relu(v . x_i + c), starting at v = 0, c = 1: every multiplier 1, as the free ones
                Linear block = Linear.builder().setUnits(1).build();
                block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
                block.setInitializer(Initializer.ONES, Parameter.Type.BIAS);
                block.initialize(model, DataType.FLOAT32, new Shape(o.mnist.batchSize, 784));
                builder.optMultiplierModel(fit, new MultiplierModel(block, train.images(), o.multiplierModelLr));
            }
            ConstrainedOptimizer<Batch> optimizer = builder.build();
            Random order = new Random(o.mnist.seed);
            int n = train.size();
            for (int epoch = 1; epoch <= o.epochs; epoch++) {
                int[] perm = MnistArrays.permutation(n, order);
                for (int s = 0; s + o.mnist.batchSize <= n; s += o.mnist.batchSize) {
                    try (NDArray index = model.create(MnistArrays.batch(perm, s, o.mnist.batchSize));
                            NDArray x = train.images().get(index);
                            NDArray y = train.labels().get(index)) {
                        optimizer.step(new Batch(new Split(x, y), index));
                    }
                }
            }
            double[] all;
            try (NDScope ignored = new NDScope()) {
                all = losses(w, b, train).toType(DataType.FLOAT64, false).toDoubleArray();
            }
            int met = (int) Arrays.stream(all).filter(l -> l <= o.epsilon).count();
            if (feasible) {
                long[] everyone = new long[n];
                for (int i = 0; i < n; i++) {
                    everyone[i] = i;
                }
                try (NDArray index = model.create(everyone)) {
                    FeasibilityReport report = optimizer.feasibility(new Batch(train, index), FeasibilityTolerance.of(0));
                    met = report.verdicts().size() - report.unmet().size();
                    out.println(report.format(3));
                }
            }
            double worst = Arrays.stream(all).max().orElse(Double.NaN);
            double accuracy = MnistArrays.recallAndAccuracy(w, b, test, 0)[1];
            out.printf(Locale.ROOT, "%s: %d of %d training examples with CE <= %.2f, worst CE %.3f, test accuracy %.4f%n",
                    feasible ? "feasible learning" : "ERM", met, n, o.epsilon, worst, accuracy);
            return new double[] {met, worst, accuracy};
        }
    }

    /** Per-example cross-entropy, shape (n). */
    private static NDArray losses(NDArray w, NDArray b, Split data) {
        NDArray logProbabilities = data.images().matMul(w).add(b).logSoftmax(1);
        NDArray oneHot = data.labels().oneHot(10).toType(logProbabilities.getDataType(), false);
        return logProbabilities.mul(oneHot).sum(new int[] {1}).neg();
    }
}
