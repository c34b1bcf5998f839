package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianOptimizer;
import io.github.lagrange4j.constrained.proxy.ProxyLagrangianSettings;
import io.github.lagrange4j.constrained.selection.Candidate;
import io.github.lagrange4j.constrained.selection.CandidateHistory;
import io.github.lagrange4j.examples.MnistArrays.Split;
import io.github.lagrange4j.models.data.IdxFileSet;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
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
 * The recall floor of {@link RateConstrainedMnist} solved with the proxy-Lagrangian (swap regret,
 * multiplicative updates, TFCO's defaults) and the deployed model chosen among snapshots.
 *
 * <pre>
 *   minimise    CE(W x + b, y)   subject to   r_min − recall_k ≤ 0
 *
 *   primal:   Adam on ∇ [q_0 · CE + q_1 · (r_min − hinge-proxy recall)]
 *   weights:  q = stationary vector of M;  log M ← normalise(log M + η (0, g)ᵀ q), floored at log(10⁻³/2)
 *   every --snapshot-every steps: save (W, b) and its candidate (CE, r_min − recall) on 10,000 held-out
 *             training images (validation)
 *   deploy:   the best snapshot (least violation, then least CE), or a random snapshot drawn from the
 *             optimal distribution over at most m + 1 = 2 snapshots (a linear program)
 * </pre>
 *
 * <p>(Cotter, Jiang, Sridharan, "Two-player games for efficient non-convex constrained optimization",
 * ALT 2019.) The test rates of the distribution are exact expectations: a rate of a randomised
 * classifier is the mixture of its snapshots' rates.
 */
public final class ProxyLagrangianMnist {

    /**
     * What the run reached.
     *
     * @param snapshots the number of snapshots
     * @param lastRecall test recall of the last iterate
     * @param lastAccuracy its test accuracy
     * @param bestIndex the best snapshot
     * @param bestRecall its test recall
     * @param bestAccuracy its test accuracy
     * @param distribution the optimal distribution over the snapshots
     * @param mixtureRecall the distribution's expected test recall
     * @param mixtureAccuracy its expected test accuracy
     * @param weights the final proxy-Lagrangian weights (objective, constraint)
     */
    public record Result(int snapshots, double lastRecall, double lastAccuracy, int bestIndex, double bestRecall,
            double bestAccuracy, double[] distribution, double mixtureRecall, double mixtureAccuracy,
            double[] weights) {}

    @Command(name = "ProxyLagrangianMnist",
            description = "Trains a linear MNIST classifier under a recall floor with the proxy-Lagrangian.")
    static final class Options {
        @Mixin
        LinearMnistOptions mnist = new LinearMnistOptions();

        @Option(names = "--class", paramLabel = "K", description = "Constrained class, 0-9 (default: ${DEFAULT-VALUE}).")
        int classIndex = 5;

        @Option(names = "--min-recall", paramLabel = "R", description = "Recall floor, in (0, 1] (default: ${DEFAULT-VALUE}).")
        double minRecall = 0.95;

        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 2;

        @Option(names = "--weight-lr", paramLabel = "LR",
                description = "Step of the proxy-Lagrangian weights (default: ${DEFAULT-VALUE}).")
        double weightLr = 1.0;

        @Option(names = "--snapshot-every", paramLabel = "N", description = "Steps between snapshots (default: ${DEFAULT-VALUE}).")
        int snapshotEvery = 20;
    }

    private static final int VALIDATION = 10_000;

    private ProxyLagrangianMnist() {}

    /**
     * Runs the example from the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        Examples.main(args, new Options(), ProxyLagrangianMnist::runExample);
    }

    /**
     * Trains, snapshots, selects and judges on the test set.
     *
     * @param args the options
     * @return the result
     * @throws IOException if MNIST cannot be read or fetched
     * @throws IllegalArgumentException naming the option if an option is bad
     */
    public static Result runExample(String... args) throws IOException {
        Options o = Examples.parse(new Options(), args);
        RecallFloorProblem.checkOptions(o.classIndex, o.minRecall);
        if (o.epochs < 1 || o.mnist.batchSize < 1 || o.snapshotEvery < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size and --snapshot-every must be >= 1, got "
                    + o.epochs + ", " + o.mnist.batchSize + " and " + o.snapshotEvery);
        }
        ExampleOptions.requirePositive("--lr", o.mnist.lr);
        ExampleOptions.requirePositive("--weight-lr", o.weightLr);
        PrintStream out = System.out;
        IdxFileSet files = Examples.mnist(o.mnist.dataDir, out);
        Engine engine = Examples.engine(o.mnist.engine);
        try (NDManager manager = engine.newBaseManager()) {
            Split all = MnistArrays.read(manager, files.trainImages(), files.trainLabels());
            Split train = all.range(0, all.size() - VALIDATION);
            Split validation = all.range(all.size() - VALIDATION, all.size());
            Split test = MnistArrays.read(manager, files.testImages(), files.testLabels());

            NDArray w = manager.zeros(new Shape(784, 10));
            NDArray b = manager.zeros(new Shape(10));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("weight", w);
            params.put("bias", b);
            Constraint recall = Constraint.inequality("recall_" + o.classIndex, 1);
            ProxyLagrangianOptimizer<Split> optimizer = new ProxyLagrangianOptimizer<>(
                    new RecallFloorProblem(w, b, recall, o.classIndex, o.minRecall, true),
                    ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed((float) o.mnist.lr)).build(), params),
                    ProxyLagrangianSettings.tfcoDefaults(o.weightLr));

            CandidateHistory history = new CandidateHistory();
            List<NDArray[]> snapshots = new ArrayList<>();
            Random order = new Random(o.mnist.seed);
            int n = train.size();
            for (int epoch = 1; epoch <= o.epochs; epoch++) {
                int[] perm = MnistArrays.permutation(n, order);
                for (int s = 0; s + o.mnist.batchSize <= n; s += o.mnist.batchSize) {
                    try (NDArray index = manager.create(MnistArrays.batch(perm, s, o.mnist.batchSize));
                            NDArray x = train.images().get(index);
                            NDArray y = train.labels().get(index)) {
                        optimizer.step(new Split(x, y));
                    }
                    if (optimizer.stepCount() % o.snapshotEvery == 0) {
                        snapshots.add(new NDArray[] {w.duplicate(), b.duplicate()});
                        history.add(candidate(w, b, validation, o));
                    }
                }
            }
            double[] last = MnistArrays.recallAndAccuracy(w, b, test, o.classIndex);
            int best = history.bestIndex();
            double[] p = history.bestDistribution();
            double[][] testRates = new double[snapshots.size()][];
            for (int i = 0; i < snapshots.size(); i++) {
                testRates[i] = MnistArrays.recallAndAccuracy(snapshots.get(i)[0], snapshots.get(i)[1], test, o.classIndex);
            }
            double mixRecall = 0;
            double mixAccuracy = 0;
            for (int i = 0; i < p.length; i++) {
                mixRecall += p[i] * testRates[i][0];
                mixAccuracy += p[i] * testRates[i][1];
            }
            snapshots.forEach(pair -> Arrays.stream(pair).forEach(NDArray::close));
            out.printf(Locale.ROOT, "%d snapshots; validation candidates (CE, floor - recall): %s%n",
                    history.size(), history.candidates());
            out.printf(Locale.ROOT, "last iterate: test recall %.4f, accuracy %.4f; weights (objective, floor) %s%n",
                    last[0], last[1], Arrays.toString(optimizer.weights()));
            out.printf(Locale.ROOT, "best snapshot %d: test recall %.4f, accuracy %.4f%n", best,
                    testRates[best][0], testRates[best][1]);
            out.printf(Locale.ROOT, "optimal distribution %s: expected test recall %.4f, accuracy %.4f%n",
                    Arrays.toString(p), mixRecall, mixAccuracy);
            return new Result(history.size(), last[0], last[1], best, testRates[best][0], testRates[best][1], p,
                    mixRecall, mixAccuracy, optimizer.weights());
        }
    }

    /** The snapshot's cross-entropy and recall violation on the validation images. */
    private static Candidate candidate(NDArray w, NDArray b, Split validation, Options o) {
        double ce;
        try (NDScope ignored = new NDScope()) {
            NDArray logits = validation.images().matMul(w).add(b);
            ce = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(validation.labels()), new NDList(logits))
                    .toType(DataType.FLOAT64, false).getDouble();
        }
        double recall = MnistArrays.recallAndAccuracy(w, b, validation, o.classIndex)[0];
        return new Candidate(ce, new double[] {o.minRecall - recall});
    }
}
