package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.problem.ShardedProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pieces of DJL multi-device training with a rate constraint. DJL 0.36 has one CPU device ({@code
 * Device.of("cpu", i)} is {@code Device.cpu()} for every i, and a Trainer refuses a device twice) and there is no
 * GPU here, so: (1) a Trainer whose step goes through DJL's parameter server ({@link DataParallelPrimalOptimizer},
 * {@link ReplicatedOptimizer}) trained on two shards of each batch, the rate aggregated over them before the one
 * dual step, follows the unsharded trainer step by step, on both engines; (2) DJL's own {@code
 * LocalParameterServer}, given two copies of a parameter as it is on two devices, sums their gradients and
 * calls the update once per copy: the wrapped Adam steps once, and the broadcast makes the copies equal.
 */
class DataParallelTrainerTest {

    static final int N = 400;
    static final double BOUND = 0.3;
    static final int STEPS = 60;

    @Test
    void twoShardsThroughTheParameterServerTrainAsTheWholeBatch() {
        for (String engine : Engines.names()) {
            double[] one = train(engine, false);
            double[] two = train(engine, true);
            assertThat(one[3]).as(engine + ": the multiplier moved").isGreaterThan(0.05);
            assertThat(one[4]).as(engine + ": primal steps").isEqualTo(STEPS);
            assertThat(two[4]).as(engine + ": primal steps with two shards: one per batch").isEqualTo(STEPS);
            for (int i = 0; i < 4; i++) {
                // not bit-identical: the loss is summed per shard (float rounding)
                assertThat(two[i]).as(engine + ": component " + i).isCloseTo(one[i], within(1e-4));
            }
        }
    }

    @Test
    void djlsParameterServerOnTwoCopiesStepsTheStateOnceAndTheBroadcastEqualsTheCopies() {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(1f), Parameter.Type.WEIGHT);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1));
            Parameter w = block.getParameters().get(0).getValue();
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.5f)).build();
            ReplicatedOptimizer replicated = new ReplicatedOptimizer(sgd, block);
            NDArray copy = w.getArray().duplicate();
            copy.setRequiresGradient(true);
            NDArray[] weights = {w.getArray(), copy};
            try (LocalParameterServer server = new LocalParameterServer(replicated)) {
                for (int step = 1; step <= 2; step++) {
                    replicated.broadcast();
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        // gradient 1 on the first copy, 3 on the second, as two devices' backward passes leave them
                        gc.backward(weights[0].sum().add(weights[1].sum().mul(3)));
                    }
                    replicated.newStep();
                    server.update(w.getId(), weights);
                    // w = 1 - 0.5 * (1 + 3) per step: the summed gradient, one update
                    assertThat(weights[0].getFloat(0, 0)).as("step " + step).isEqualTo(1f - 2f * step);
                    assertThat(weights[1].getGradient().getFloat(0, 0)).as("the copy's gradient").isZero();
                }
                assertThat(sgd.stepCount(w.getId())).isEqualTo(2);
                assertThat(copy.getFloat(0, 0)).as("the copy, before the broadcast").isEqualTo(-1f);
                replicated.broadcast();
                assertThat(copy.getFloat(0, 0)).as("the copy, after the broadcast").isEqualTo(-3f);
            }

            // a key-value store's own copy (another array, never broadcast to) starts from the model's value
            NDArray store = manager.create(new float[] {7f}).reshape(1, 1);
            replicated.newStep();
            replicated.update(w.getId(), store, manager.create(new float[] {2f}).reshape(1, 1));
            assertThat(store.getFloat(0, 0)).isEqualTo(-4f);
        }
    }

    /** Trains STEPS steps, on two shards or not; returns w0, w1, b, lambda, Adam's step count. */
    private static double[] train(String engine, boolean sharded) {
        Linear block = Linear.builder().setUnits(1).build();
        block.setInitializer(new ConstantInitializer(0.1f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("logistic", Device.cpu(), engine)) {
            model.setBlock(block);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build();
            ReplicatedOptimizer replicated = new ReplicatedOptimizer(adam, block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(sharded ? replicated : adam).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 2));
                adam.bindParameterNames(block);
                NDManager manager = trainer.getManager();
                NDArray[] data = data(manager);
                Constraint rate = Constraint.inequality("positiveRate", 1);
                ConstrainedMinimizationProblem<NDArray[]> perShard = new ConstrainedMinimizationProblem<>() {
                    @Override
                    public CmpState computeCmpState(NDArray[] b) {
                        NDArray z = trainer.forward(new NDList(b[0])).singletonOrThrow().reshape(-1);
                        NDArray loss = z.exp().add(1).log().sub(b[1].mul(z)).mean();
                        NDArray proxy = z.getNDArrayInternal().sigmoid().mean().sub(BOUND);
                        return CmpState.of(loss, rate, ConstraintState.of(proxy));
                    }

                    @Override
                    public List<Constraint> constraints() {
                        return List.of(rate);
                    }
                };
                ConstrainedMinimizationProblem<NDArray[]> problem = !sharded ? perShard
                        : new ShardedProblem<NDArray[], NDArray[]>(perShard, b -> {
                            NDList xs = b[0].split(new long[] {230});
                            NDList ys = b[1].split(new long[] {230});
                            List<ShardedProblem.Shard<NDArray[]>> shards = new ArrayList<>();
                            for (int i = 0; i < 2; i++) {
                                shards.add(new ShardedProblem.Shard<>(new NDArray[] {xs.get(i), ys.get(i)},
                                        xs.get(i).getShape().get(0)));
                            }
                            return shards;
                        });
                PrimalOptimizer primal = !sharded ? new TrainerPrimalOptimizer(trainer, adam)
                        : new DataParallelPrimalOptimizer(trainer, replicated);
                ConstrainedOptimizer<NDArray[]> opt = ConstrainedOptimizer.<NDArray[]>builder().setProblem(problem)
                        .setPrimalOptimizer(primal).setDualOptimizer(DualSgd.of(0.5)).build();
                for (int t = 0; t < STEPS; t++) {
                    opt.step(data);
                }
                float[] w = block.getParameters().get(0).getValue().getArray().toFloatArray();
                float b = block.getParameters().get(1).getValue().getArray().getFloat(0);
                String key = adam.key(block.getParameters().get(0).getValue().getId());
                return new double[] {w[0], w[1], b, rate.multiplier().value(0), adam.stepCount(key)};
            }
        }
    }

    /** 400 examples of two features and a label from a logistic model, on the first device. */
    private static NDArray[] data(NDManager manager) {
        Random rng = new Random(3);
        float[] features = new float[N * 2];
        float[] labels = new float[N];
        for (int i = 0; i < N; i++) {
            double x1 = rng.nextGaussian() + 0.5;
            double x2 = rng.nextGaussian();
            features[2 * i] = (float) x1;
            features[2 * i + 1] = (float) x2;
            labels[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(2 * x1 - x2))) ? 1f : 0f;
        }
        return new NDArray[] {manager.create(features, new Shape(N, 2)), manager.create(labels)};
    }
}
