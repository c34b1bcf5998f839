package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.OptimismSchedule;
import io.github.lagrange4j.constrained.dual.OptimisticDual;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizerBuilder;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.rate.RateConstraints;
import io.github.lagrange4j.constrained.rate.RateContext;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import io.github.lagrange4j.constrained.relaxation.Slack;
import io.github.lagrange4j.examples.MnistArrays.Split;
import io.github.lagrange4j.models.data.IdxFileSet;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A rate constraint on real data: a softmax-linear MNIST classifier whose recall of one class must
 * reach a floor well above what plain training gives it, beside the same run without the constraint.
 *
 * <pre>
 *   minimise    CE(W x + b, y)
 *   subject to  recall_k = TPR(class k) >= r_min                         λ
 *
 *   primal:  Adam on ∇ [CE + λ · (r_min − hinge-proxy TPR)]   (the hinge bound keeps the proxy conservative)
 *   dual:    λ ← max(0, λ + η_dual · (r_min − 0-1 TPR on the batch))
 *   verdict: the 0-1 recall on the 10,000 test images, met if r_min − recall ≤ tolerance
 * </pre>
 *
 * <p>{@code --optimism W} makes the dual ascent optimistic ({@link OptimisticDual}); {@code --relax-cost A}
 * relaxes the floor to {@code recall >= r_min - u} with a learned slack {@code u} of cost {@code (A/2) u^2}
 * ({@link Relaxation}; the verdict then allows the achieved slack).
 *
 * <p>(Cotter, Jiang, Sridharan, "Two-player games for efficient non-convex constrained optimization",
 * ALT 2019, for the proxy/strict split.) Order of calls: read MNIST ({@link MnistArrays}); state the
 * problem with {@link RateContext#oneVsRest} and {@link RateConstraints#atLeast}; build the {@link
 * ConstrainedOptimizer}; {@code step(batch)} per batch; {@link ConstrainedOptimizer#feasibility} on
 * the test set.
 */
public final class RateConstrainedMnist {

    /**
     * What the two runs reached on the test set.
     *
     * @param engine the engine used
     * @param classIndex the constrained class
     * @param minRecall the recall floor
     * @param tolerance the tolerance of the verdict
     * @param baselineRecall the test recall of the class without the constraint
     * @param baselineAccuracy the test accuracy without the constraint
     * @param recall the test recall of the class with the constraint
     * @param accuracy the test accuracy with the constraint
     * @param multiplier the final λ
     * @param slack the learned slack of the floor ({@code --relax-cost > 0}), else 0
     * @param met whether the verdict on the test set is "met"
     * @param report the verdict as printed
     */
    public record Result(String engine, int classIndex, double minRecall, double tolerance, double baselineRecall,
            double baselineAccuracy, double recall, double accuracy, double multiplier, double slack, boolean met, String report) {}

    @Command(name = "RateConstrainedMnist",
            description = "Trains a linear MNIST classifier with and without a floor on one class's recall.")
    static final class Options {
        @Mixin
        LinearMnistOptions mnist = new LinearMnistOptions();

        @Option(names = "--class", paramLabel = "K", description = "Constrained class, 0-9 (default: ${DEFAULT-VALUE}).")
        int classIndex = 5;

        @Option(names = "--min-recall", paramLabel = "R", description = "Recall floor, in (0, 1] (default: ${DEFAULT-VALUE}).")
        double minRecall = 0.95;

        @Option(names = "--tolerance", paramLabel = "T",
                description = "Tolerance of the test-set verdict, >= 0 (default: ${DEFAULT-VALUE}).")
        double tolerance = 0.01;

        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 2;

        @Option(names = "--dual-lr", paramLabel = "LR", description = "Dual learning rate (default: ${DEFAULT-VALUE}).")
        double dualLr = 0.5;

        @Option(names = "--optimism", paramLabel = "W",
                description = "Optimistic coefficient of the dual ascent, >= 0; 0 is plain ascent (default: ${DEFAULT-VALUE}).")
        double optimism = 0;

        @Option(names = "--relax-cost", paramLabel = "A",
                description = "Relax the floor with a learned slack of cost (A/2) u^2; 0 keeps it strict"
                        + " (default: ${DEFAULT-VALUE}).")
        double relaxCost = 0;
    }

    private RateConstrainedMnist() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), RateConstrainedMnist::runExample);
    }

    /**
     * Trains without and with the recall floor and judges both on the test set.
     *
     * @param args the options
     * @return the result
     * @throws IOException if MNIST cannot be read or fetched
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        RecallFloorProblem.checkOptions(o.classIndex, o.minRecall);
        if (!(o.tolerance >= 0 && o.tolerance < 1)) {
            throw new IllegalArgumentException("--tolerance must be in [0, 1), got " + o.tolerance);
        }
        if (o.epochs < 1 || o.mnist.batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1, got "
                    + o.epochs + " and " + o.mnist.batchSize);
        }
        ExampleOptions.requirePositive("--lr", o.mnist.lr);
        ExampleOptions.requirePositive("--dual-lr", o.dualLr);
        if (!(o.optimism >= 0) || Double.isInfinite(o.optimism)) {
            throw new IllegalArgumentException("--optimism must be finite and >= 0, got " + o.optimism);
        }
        if (!(o.relaxCost >= 0) || Double.isInfinite(o.relaxCost)) {
            throw new IllegalArgumentException("--relax-cost must be finite and >= 0, got " + o.relaxCost);
        }
        PrintStream out = System.out;
        IdxFileSet files = Examples.mnist(o.mnist.dataDir, out);
        Engine engine = Examples.engine(o.mnist.engine);
        try (NDManager manager = engine.newBaseManager()) {
            Split train = MnistArrays.read(manager, files.trainImages(), files.trainLabels());
            Split test = MnistArrays.read(manager, files.testImages(), files.testLabels());
            Run baseline = train(o, false, train, test, manager, out);
            Run constrained = train(o, true, train, test, manager, out);
            out.printf(Locale.ROOT, "class %d test recall: %.4f without the floor, %.4f with it (floor %.2f);"
                            + " test accuracy %.4f -> %.4f%n", o.classIndex, baseline.recall(), constrained.recall(),
                    o.minRecall, baseline.accuracy(), constrained.accuracy());
            return new Result(manager.getEngine().getEngineName(), o.classIndex, o.minRecall, o.tolerance,
                    baseline.recall(), baseline.accuracy(), constrained.recall(), constrained.accuracy(),
                    constrained.lambda(), constrained.slack(), constrained.report().allMet(),
                    constrained.report().format(5));
        }
    }

    /** One run's test recall and accuracy, final λ, and verdict on the test set (empty without the floor). */
    private record Run(double recall, double accuracy, double lambda, double slack, FeasibilityReport report) {}

    /** Trains one model and judges it on the test split. */
    private static Run train(Options o, boolean withFloor, Split train, Split test, NDManager manager,
            PrintStream out) {
        try (NDManager model = manager.newSubManager()) {
            NDArray w = model.zeros(new Shape(784, 10));
            NDArray b = model.zeros(new Shape(10));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("weight", w);
            params.put("bias", b);
            Constraint recall = Constraint.inequality("recall_" + o.classIndex, 1);
            RecallFloorProblem problem = new RecallFloorProblem(w, b, recall, o.classIndex, o.minRecall, withFloor);
            DualOptimizer dual = o.optimism == 0 ? DualSgd.of(o.dualLr)
                    : new OptimisticDual(DualSgd.of(o.dualLr), OptimismSchedule.constant(o.optimism));
            ConstrainedOptimizerBuilder<Split> builder = ConstrainedOptimizer.<Split>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed((float) o.mnist.lr)).build(), params))
                    .setDualOptimizer(dual);
            if (withFloor && o.relaxCost > 0) {
                builder.optRelaxation(recall, new Relaxation(o.relaxCost, o.dualLr));
            }
            ConstrainedOptimizer<Split> optimizer = builder.build();
            int n = (int) train.labels().size();
            Random order = new Random(o.mnist.seed);
            double lambda = 0;
            for (int epoch = 1; epoch <= o.epochs; epoch++) {
                int[] perm = MnistArrays.permutation(n, order);
                for (int s = 0; s + o.mnist.batchSize <= n; s += o.mnist.batchSize) {
                    try (NDArray index = model.create(MnistArrays.batch(perm, s, o.mnist.batchSize));
                            NDArray x = train.images().get(index);
                            NDArray y = train.labels().get(index)) {
                        StepRecord r = optimizer.step(new Split(x, y));
                        lambda = withFloor ? r.multiplier(recall.name())[0] : 0;
                    }
                }
            }
            double[] rates = MnistArrays.recallAndAccuracy(w, b, test, o.classIndex);
            out.printf(Locale.ROOT, "%s: test recall of class %d %.4f, test accuracy %.4f%s%n",
                    withFloor ? "with recall floor" : "unconstrained", o.classIndex, rates[0], rates[1],
                    withFloor ? String.format(Locale.ROOT, ", lambda %.4f", lambda) : "");
            Slack slack = withFloor ? optimizer.slack(recall) : null;
            if (slack != null) {
                out.printf(Locale.ROOT, "relaxed floor: learned slack u = %.4f (recall >= %.4f - u)%n",
                        slack.value(0), o.minRecall);
            }
            FeasibilityReport report = optimizer.feasibility(test, FeasibilityTolerance.of(o.tolerance));
            if (withFloor) {
                out.println("on the test set, " + report.format(5));
            }
            return new Run(rates[0], rates[1], lambda, slack == null ? 0 : slack.value(0), report);
        }
    }
}
