package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;

/**
 * Trains the dense (ungated) version of a model on (Fashion-)MNIST with the data path and optimizer of
 * {@link SparsityTrainer}: the splits held in memory ({@link MnistBatches}), shuffling from (seed, epoch), one
 * {@link StatefulAdam} step per minibatch (the fused update on PyTorch). It is the baseline a gated run is
 * compared with ({@code lagrange4j dense}, {@code lagrange4j bench}).
 *
 * <p>Per step: forward, softmax cross-entropy, backward, Adam; the loss is summed on the device and read
 * once per epoch (no host synchronisation per step). Ownership: this object owns the model, the trainer and
 * the data manager; close it.
 */
public final class DenseTrainer implements AutoCloseable {

    private static final int EVAL_BATCH = 1000;

    private final NDManager data;
    private final Model model;
    private final Trainer trainer;
    private final TrainerPrimalOptimizer primal;
    private final MnistBatches train;
    private final MnistBatches test;
    private final int batchSize;
    private final long seed;

    /**
     * Builds the dense model and loads the data.
     *
     * @param kind the architecture
     * @param batchSize the minibatch size, at least 1
     * @param learningRate Adam's learning rate
     * @param seed the seed of initialisation and shuffling
     * @param trainSubset the number of leading training images to use, 0 = all
     * @param engine the engine
     * @param device the device
     * @param files the data set's files
     * @throws IOException if the data cannot be read
     */
    public DenseTrainer(ModelKind kind, int batchSize, double learningRate, long seed, int trainSubset,
            Engine engine, Device device, IdxFileSet files) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        engine.setRandomSeed(Seeds.engineSeed(seed, 0, 0));
        this.data = engine.newBaseManager(device);
        Model m = null;
        Trainer t = null;
        boolean ok = false;
        try {
            Shape example = kind.inputShape(1).slice(1);
            train = MnistBatches.load(files, Dataset.Usage.TRAIN, Normalization.MNIST_STANDARDIZED, trainSubset,
                    example, data);
            test = MnistBatches.load(files, Dataset.Usage.TEST, Normalization.MNIST_STANDARDIZED, 0, example, data);
            m = Model.newInstance(kind.name().toLowerCase() + "-dense", device, engine.getEngineName());
            m.setBlock(kind.build(false, false));
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed((float) learningRate))
                    .build();
            t = m.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam)
                    .optDevices(new Device[] {device}));
            t.initialize(kind.inputShape(batchSize));
            adam.bindParameterNames(m.getBlock());
            model = m;
            trainer = t;
            primal = new TrainerPrimalOptimizer(t, adam);
            ok = true;
        } finally {
            if (!ok) {
                if (t != null) {
                    t.close();
                }
                if (m != null) {
                    m.close();
                }
                data.close();
            }
        }
    }

    /**
     * Returns the number of training images of an epoch.
     *
     * @return the training split's size
     */
    public int trainExamples() {
        return train.examples();
    }

    /**
     * Trains one epoch.
     *
     * @param epoch the 1-based epoch (it seeds the shuffling)
     * @return the mean training loss of the epoch's minibatches
     */
    public double trainEpoch(int epoch) {
        int[] order = train.order(seed, epoch);
        int steps = train.batches(batchSize);
        try (NDManager epochManager = data.newSubManager()) {
            NDArray lossSum = epochManager.zeros(new Shape(), DataType.FLOAT32);
            for (int step = 0; step < steps; step++) {
                try (NDManager stepManager = data.newSubManager()) {
                    NDArray[] batch = train.batch(stepManager, order, step, batchSize);
                    NDArray loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        loss = trainer.getLoss().evaluate(new NDList(batch[1]),
                                trainer.forward(new NDList(batch[0])));
                        stepManager.tempAttachAll(loss);
                        collector.backward(loss);
                    }
                    primal.step();
                    lossSum.addi(loss);
                }
            }
            return lossSum.getFloat() / steps;
        }
    }

    /**
     * Evaluates the test error.
     *
     * @return the fraction of misclassified test images
     */
    public double testError() {
        return ErrorRate.of(trainer, test, data, EVAL_BATCH, false);
    }

    /**
     * Returns the number of test images.
     *
     * @return the test split's size
     */
    public int testExamples() {
        return test.examples();
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        data.close();
    }
}
