package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedBlock;
import io.github.lagrange4j.l0.problem.L0Problem;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.io.IOException;

/**
 * Trains one gated model on (Fashion-)MNIST, penalized or under density constraints, one epoch at a time.
 *
 * <p>Per minibatch (the simultaneous gradient descent-ascent of the official code of Gallego-Posada, Ramirez
 * et al., "Controlled Sparsity via Constrained Optimization", NeurIPS 2022, or any other {@code UpdateScheme}):
 * the batch comes from the training split, a DJL dataset ({@link MnistBatches}), in the order of an {@link
 * EpochSampler} (a function of seed and epoch); the engine's random seed is set from (seed, epoch, step); the
 * constrained optimizer ({@link SparsityProblem}) draws one gate sample in the forward pass, back-propagates
 * the Lagrangian, takes an Adam step on weights and log α (the gates at their own learning rate) and a dual
 * step (by default gradient ascent, λ ← max(0, λ + η_dual · (density − ε)); Adam or νPI with {@link
 * DualMethod}) with optional restarts; finally the problem clamps log α to [log 0.01, log 100] ({@link
 * L0Problem#projectPrimal()}). After each epoch the test set is evaluated with deterministic gates by DJL's
 * {@code Accuracy} ({@link ErrorRate}; the validation split too, if the run holds one out) and the network's
 * accounting is taken. The fixed-mask fine-tuning phase after it is {@link FineTuner}.
 *
 * <p>Events: the model trains in a DJL {@link Trainer} whose {@code TrainingConfig} holds the non-finite guard
 * ({@link FiniteGuard}), then the constructor's listeners; {@link #trainEpoch} notifies them as {@link
 * RunListener} describes. Per step nothing is read from the engine beyond the optimizer's own record.
 *
 * <p>With {@link OptimizationSettings#devices()} above 1 each minibatch is split over several devices (or shards on the
 * CPU) and the problem still sees the whole minibatch: {@link DataParallel}.
 *
 * <p>Ownership: this object owns the model, the DJL trainer and the data manager; close it.
 */
public final class SparsityTrainer implements AutoCloseable {

    private static final int EVAL_BATCH = 1000;

    private final RunSettings settings;
    private final Engine engine;
    private final NDManager data;
    private final Model model;
    private final Trainer trainer;
    private final StatefulAdam adam;
    private final GatedNetwork network;
    private final ConstrainedOptimizer<NDArray[]> optimizer;
    private final MnistBatches train;
    private final MnistBatches validation;
    private final MnistBatches test;

    /**
     * Builds the model, loads the data and sets up the optimizers.
     *
     * @param settings the run settings
     * @param engine the engine
     * @param device the device
     * @param files the data set's files
     * @param listeners DJL training listeners (e.g. {@link RunListener}s) added to the trainer's configuration
     *     after the non-finite guard, in this order
     * @throws IOException if the data cannot be read
     */
    public SparsityTrainer(RunSettings settings, Engine engine, Device device, IdxFileSet files,
            TrainingListener... listeners) throws IOException {
        this.settings = settings;
        this.engine = engine;
        engine.setRandomSeed(Seeds.engineSeed(settings.seed(), 0, 0));
        this.data = engine.newBaseManager(device);
        boolean ok = false;
        Model m = null;
        Trainer t = null;
        try {
            DataSplits splits = DataSplits.load(settings, files, settings.data().normalization(),
                    settings.model().architecture().inputShape(1).slice(1), data);
            train = splits.train();
            validation = splits.validation();
            test = splits.test();

            m = Model.newInstance(settings.model().architecture().name().toLowerCase() + "-l0", device, engine.getEngineName());
            Block block = settings.model().architecture().build(true, settings.model().rescaleWeights());
            m.setBlock(block);
            DataParallel parallel = DataParallel.of(settings, engine, device);
            float gateScale = (float) (settings.optimization().gateLearningRate() / settings.optimization().primalLearningRate());
            adam = StatefulAdam.builder()
                    .optLearningRateTracker(settings.schedule().lrSchedule().tracker(
                            settings.optimization().primalLearningRate(), (long) settings.schedule().epochs() * train.batches(settings.optimization().batchSize())))
                    .optLearningRateMultiplier(key -> LogAlpha.isGateParameter(key) ? gateScale : 1f)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(parallel.trainerOptimizer(adam, block))
                    .optDevices(parallel.devices())
                    .addTrainingListeners(new FiniteGuard(settings))
                    .addTrainingListeners(listeners);
            t = m.newTrainer(config);
            t.initialize(settings.model().architecture().inputShape(settings.optimization().batchSize()));
            adam.bindParameterNames(block);
            network = GatedNetwork.of(block);
            optimizer = SparsityProblem.optimizer(settings, t, adam, network, train.examples(), parallel);
            model = m;
            trainer = t;
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
     * Turns sparsity-aware training on or off for every gated layer of the model ({@link
     * GatedBlock#setSparseCompute}); by default it is on unless the JVM runs with {@code
     * -Dlagrange4j.sparse-compute=false}.
     *
     * @param enabled whether gated layers may compute over their live groups only
     */
    public void setSparseCompute(boolean enabled) {
        setSparseCompute(model.getBlock(), enabled);
    }

    private static void setSparseCompute(Block block, boolean enabled) {
        if (block instanceof GatedBlock gated) {
            gated.setSparseCompute(enabled);
        }
        block.getChildren().values().forEach(child -> setSparseCompute(child, enabled));
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public RunSettings settings() {
        return settings;
    }

    /**
     * Returns the number of training images of an epoch (every one is used once per epoch).
     *
     * @return the size of the training split, after {@code trainSubset}
     */
    public int trainExamples() {
        return train.examples();
    }

    /**
     * Returns the model (owned by this trainer).
     *
     * @return the model
     */
    public Model model() {
        return model;
    }

    /**
     * Returns the gated layers of the model.
     *
     * @return the gated network view
     */
    public GatedNetwork network() {
        return network;
    }

    /**
     * Returns the DJL trainer's optimizer; a checkpoint saves its state through the constrained optimizer's
     * primal side ({@code TrainerPrimalOptimizer.saveState}).
     *
     * @return the Adam optimizer
     */
    public StatefulAdam primalOptimizer() {
        return adam;
    }

    /**
     * Returns the constrained optimizer (its state is part of a checkpoint).
     *
     * @return the optimizer
     */
    public ConstrainedOptimizer<NDArray[]> constrainedOptimizer() {
        return optimizer;
    }

    /**
     * Returns the manager that owns the data and restored optimizer state.
     *
     * @return the data manager
     */
    public NDManager manager() {
        return data;
    }

    /**
     * Trains one epoch and evaluates it, firing the trainer's listeners (see the class comment).
     *
     * @param epoch the 1-based epoch number
     * @return the epoch's metrics
     * @throws NonFiniteException if a quantity becomes NaN or infinite
     */
    public EpochMetrics trainEpoch(int epoch) {
        long start = System.nanoTime();
        int steps = train.batches(settings.optimization().batchSize());
        trainer.notifyListeners(l -> RunListener.startEpoch(l, trainer, epoch, settings.schedule().totalEpochs(), steps));
        double lossSum = 0;
        StepRecord last = null;
        int step = 0;
        for (Batch batch : train.getData(data, EpochSampler.shuffled(settings.seed(), epoch, settings.optimization().batchSize()),
                null)) {
            try (batch) {
                engine.setRandomSeed(Seeds.engineSeed(settings.seed(), epoch, step));
                last = optimizer.step(new NDArray[] {batch.getData().head(), batch.getLabels().head()});
                StepData done = new StepData(batch, epoch, ++step, steps, last, last.loss());
                trainer.notifyListeners(l -> l.onTrainingBatch(trainer, done));
            }
            lossSum += last.lagrangian();
        }
        double testError = testError();
        double validationError = validationError();
        trainer.notifyListeners(l -> l.onEpoch(trainer));
        return EpochReport.of(settings, network, epoch, EpochMetrics.TRAIN, lossSum / steps, testError,
                validationError, last.multipliers(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Evaluates the test error with deterministic gates.
     *
     * @return the fraction of misclassified test images
     */
    public double testError() {
        return ErrorRate.of(trainer, test, data, EVAL_BATCH, true);
    }

    /**
     * Evaluates the validation error with deterministic gates.
     *
     * @return the fraction of misclassified validation images, NaN without a validation split
     */
    public double validationError() {
        return validation == null ? Double.NaN : ErrorRate.of(trainer, validation, data, EVAL_BATCH, false);
    }

    /**
     * Judges the run's constraints as the constrained optimizer sees them (for a density budget: the expected
     * density of the stochastic gates against ε) on the first test batch, without changing any state other
     * than the engine's random stream (reseeded at every training step, so a later resume is unaffected).
     *
     * @param tolerance how far above its bound a constraint may be and still count as met, finite and
     *     {@code >= 0}
     * @return one verdict per constraint entry (empty for a penalized run)
     */
    public FeasibilityReport feasibility(double tolerance) {
        try (NDScope ignored = new NDScope(); NDManager scope = data.newSubManager()) {
            NDArray[] batch = test.batch(scope, null, 0, Math.min(EVAL_BATCH, test.examples()));
            return optimizer.feasibility(batch, FeasibilityTolerance.of(tolerance));
        }
    }

    /**
     * Returns the DJL trainer (its evaluation forward and loss serve the fine-tuning phase).
     *
     * @return the trainer, owned by this object
     */
    public Trainer djlTrainer() {
        return trainer;
    }

    /**
     * Returns the training split.
     *
     * @return the training batches
     */
    public MnistBatches trainBatches() {
        return train;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        data.close();
    }
}
