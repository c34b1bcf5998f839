package io.github.lagrange4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.LayerAccount;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.problem.DensityConstraints;
import io.github.lagrange4j.l0.problem.L0Problem;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.training.MnistBatches;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.Seeds;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.io.IOException;
import java.util.Map;

/**
 * The driver's model-wise constrained training of the gated MLP, with the Adam step applied to the block's
 * parameters directly ({@link ParameterOptimizer}) rather than through a DJL {@code Trainer} and the engine's
 * parameter server; it runs unchanged on every engine.
 *
 * <p>Per minibatch, exactly as {@code SparsityTrainer}: seed the engine from (seed, epoch, step); one
 * simultaneous step of gradient descent-ascent on {@code CE + λ·(density − ε)} (Adam for weights and the
 * gates' log α at its own rate, λ ← max(0, λ + η_dual·(density − ε)) with restarts); clamp log α. Data order
 * and seeds come from the driver ({@link MnistBatches}, {@link Seeds}).
 *
 * <p>Ownership: this object owns one base manager holding the data and the model; close it.
 */
final class DirectTrainer implements AutoCloseable {

    private static final int EVAL_BATCH = 1000;

    private final RunSettings settings;
    private final Engine engine;
    private final NDManager manager;
    private final Block block;
    private final GatedNetwork network;
    private final ConstrainedOptimizer<NDArray[]> optimizer;
    private final MnistBatches train;
    private final MnistBatches test;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();

    DirectTrainer(RunSettings settings, Engine engine, IdxFileSet files) throws IOException {
        this.settings = settings;
        this.engine = engine;
        this.manager = engine.newBaseManager();
        try {
            Shape example = settings.model().inputShape(1).slice(1);
            train = MnistBatches.load(files, Dataset.Usage.TRAIN, Normalization.MNIST_STANDARDIZED,
                    settings.trainSubset(), example, manager);
            test = MnistBatches.load(files, Dataset.Usage.TEST, Normalization.MNIST_STANDARDIZED,
                    settings.testSubset(), example, manager);
            engine.setRandomSeed(Seeds.engineSeed(settings.seed(), 0, 0));
            block = settings.model().build(true, settings.rescaleWeights());
            block.initialize(manager, DataType.FLOAT32, settings.model().inputShape(settings.batchSize()));
            network = GatedNetwork.of(block);

            float gateScale = (float) (settings.gateLearningRate() / settings.primalLearningRate());
            StatefulAdam adam = StatefulAdam.builder()
                    .optLearningRateTracker(Tracker.fixed((float) settings.primalLearningRate()))
                    .optLearningRateMultiplier(key -> LogAlpha.isGateParameter(key) ? gateScale : 1f)
                    .build();
            L0Problem<NDArray[]> problem = L0Problem.<NDArray[]>builder()
                    .setTaskLoss(b -> loss.evaluate(new NDList(b[1]), forward(b[0], true)))
                    .addConstraint(DensityConstraints.modelWise(network, settings.epsilons()[0]))
                    .build();
            optimizer = ConstrainedOptimizer.<NDArray[]>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.ofBlock(adam, block))
                    .setDualOptimizer(DualSgd.of(settings.dualLearningRate()))
                    .optDualRestarts(settings.dualRestarts())
                    .optScheme(settings.scheme())
                    .build();
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDList forward(NDArray x, boolean training) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), training);
    }

    /** The engine of the model's parameter arrays. */
    String engineName() {
        return block.getParameters().get(0).getValue().getArray().getManager().getEngine().getEngineName();
    }

    /** The expected density of the gates now. */
    double expectedDensity() {
        return NetworkAccount.of(network).expectedDensity();
    }

    /** Trains one epoch (1-based) and evaluates the test set with deterministic gates. */
    EpochMetrics trainEpoch(int epoch) {
        long start = System.nanoTime();
        int[] order = train.order(settings.seed(), epoch);
        int steps = train.batches(settings.batchSize());
        double lagrangianSum = 0;
        StepRecord last = null;
        for (int step = 0; step < steps; step++) {
            engine.setRandomSeed(Seeds.engineSeed(settings.seed(), epoch, step));
            try (NDManager stepManager = manager.newSubManager()) {
                last = optimizer.step(train.batch(stepManager, order, step, settings.batchSize()));
            }
            LogAlpha.clampAll(block);
            if (!Double.isFinite(last.lagrangian())) {
                throw new IllegalStateException("the Lagrangian became " + last.lagrangian() + " at epoch " + epoch
                        + ", step " + (step + 1) + ": lower --lr, --gate-lr or --dual-lr");
            }
            lagrangianSum += last.lagrangian();
        }
        double testError = testError();
        NetworkAccount account = NetworkAccount.of(network);
        double keptWeighted = 0;
        for (LayerAccount layer : account.layers()) {
            keptWeighted += layer.keptGates() * (layer.sparsifiableParameters() / (double) layer.gates());
        }
        double epsilon = settings.epsilons()[0];
        String name = DensityConstraints.MODEL_DENSITY;
        return new EpochMetrics(epoch, lagrangianSum / steps, testError, account.expectedDensity(),
                keptWeighted / network.sparsifiableParameters(), account.prunedArchitecture(),
                account.keptParameters(), account.keptMacs(), Map.of(name, last.multiplier(name)[0]),
                Map.of(name, account.expectedDensity() - epsilon), Map.of(name, epsilon),
                (System.nanoTime() - start) / 1e9);
    }

    private double testError() {
        long wrong = 0;
        for (int b = 0; b < test.batches(EVAL_BATCH); b++) {
            try (NDManager scope = manager.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray[] batch = test.batch(scope, null, b, EVAL_BATCH);
                NDArray predicted = forward(batch[0], false).singletonOrThrow().argMax(1)
                        .toType(DataType.FLOAT32, false);
                wrong += batch[1].size() - predicted.eq(batch[1]).sum().getLong();
            }
        }
        return wrong / (double) test.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
