package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.L0Linear;
import io.github.lagrange4j.l0.problem.DensityConstraints;
import io.github.lagrange4j.l0.problem.L0Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The run behind the committed checkpoint fixtures: a tiny L0-gated MLP 16-6-3 on twelve synthetic 4×4
 * "images" (three classes, each a fixed random prototype plus noise, drawn from {@code java.util.Random(2026)}),
 * under a model-wise density constraint ε = 0.5, trained exactly as {@link SparsityTrainer} trains: a DJL
 * {@link Trainer} with a {@link StatefulAdam} (gates at 5× the learning rate) as the primal side, gradient
 * ascent on the multiplier, the engine reseeded at every step from (seed, epoch, step), and the batch order a
 * function of (seed, epoch). Its checkpoint holds every section a real run's does, in a few kilobytes.
 */
final class TinyCheckpointRun implements AutoCloseable {

    static final int FEATURES = 16;
    static final int CLASSES = 3;
    static final int IMAGES = 12;
    static final int BATCH = 4;
    static final int SEED = 13;

    private final Engine engine;
    private final NDManager manager;
    private final Model model;
    private final Trainer trainer;
    private final StatefulAdam adam;
    private final ConstrainedOptimizer<NDArray[]> optimizer;
    private final float[][] images = new float[IMAGES][FEATURES];
    private final float[] labels = new float[IMAGES];

    TinyCheckpointRun(Engine engine) {
        this.engine = engine;
        engine.setRandomSeed(SEED);
        Random random = new Random(2026);
        float[][] prototypes = new float[CLASSES][FEATURES];
        for (float[] prototype : prototypes) {
            for (int j = 0; j < FEATURES; j++) {
                prototype[j] = random.nextFloat();
            }
        }
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % CLASSES;
            for (int j = 0; j < FEATURES; j++) {
                images[i][j] = Math.min(1f, Math.max(0f,
                        prototypes[i % CLASSES][j] + 0.2f * (float) random.nextGaussian()));
            }
        }
        manager = engine.newBaseManager(Device.cpu());
        model = Model.newInstance("tiny-l0-mlp", Device.cpu(), engine.getEngineName());
        SequentialBlock block = new SequentialBlock()
                .add(L0Linear.builder().setUnits(6).optDroprate(0.2).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(CLASSES).optDroprate(0.5).build());
        model.setBlock(block);
        adam = StatefulAdam.builder()
                .optLearningRateTracker(Tracker.fixed(0.01f))
                .optLearningRateMultiplier(key -> LogAlpha.isGateParameter(key) ? 5f : 1f)
                .build();
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(adam)
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, FEATURES));
        adam.bindParameterNames(block);
        GatedNetwork network = GatedNetwork.of(block);
        Trainer t = trainer;
        L0Problem<NDArray[]> problem = L0Problem.<NDArray[]>builder()
                .setTaskLoss(b -> t.getLoss().evaluate(new NDList(b[1]), t.forward(new NDList(b[0]))))
                .optGates(network)
                .addConstraint(DensityConstraints.modelWise(network, 0.5))
                .build();
        optimizer = ConstrainedOptimizer.<NDArray[]>builder()
                .setProblem(problem)
                .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer, adam))
                .setDualOptimizer(DualSgd.of(0.5))
                .build();
    }

    /** Trains one epoch: three steps of four images, in an order that depends on (seed, epoch) only. */
    void trainEpoch(int epoch) {
        int[] order = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            order[i] = i;
        }
        Random shuffle = new Random(SEED * 1000 + epoch);
        for (int i = IMAGES - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int step = 0; step < IMAGES / BATCH; step++) {
            engine.setRandomSeed(Seeds.engineSeed(SEED, epoch, step));
            float[] x = new float[BATCH * FEATURES];
            float[] y = new float[BATCH];
            for (int k = 0; k < BATCH; k++) {
                int image = order[step * BATCH + k];
                System.arraycopy(images[image], 0, x, k * FEATURES, FEATURES);
                y[k] = labels[image];
            }
            try (NDManager stepManager = manager.newSubManager()) {
                optimizer.step(new NDArray[] {
                    stepManager.create(x, new Shape(BATCH, FEATURES)), stepManager.create(y, new Shape(BATCH))
                });
            }
        }
    }

    /** @return every parameter's values by its path name, in the block's order */
    Map<String, float[]> parameters() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** @return every constraint's multipliers by constraint name */
    Map<String, double[]> multipliers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Constraint c : optimizer.constraints()) {
            out.put(c.name(), c.multiplier().values());
        }
        return out;
    }

    Model model() {
        return model;
    }

    StatefulAdam adam() {
        return adam;
    }

    ConstrainedOptimizer<NDArray[]> optimizer() {
        return optimizer;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
