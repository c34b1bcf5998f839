package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.github.lagrange4j.constrained.primal.DataParallelPrimalOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.primal.ReplicatedOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.problem.ShardedProblem;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.SharedGateNoise;
import io.github.lagrange4j.l0.nn.GatedBlock;
import io.github.lagrange4j.l0.problem.L0Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Data-parallel training of one run over {@link OptimizationSettings#devices()} devices, through DJL's multi-device
 * training: the trainer gets every device ({@code DefaultTrainingConfig.optDevices}), its {@code ParameterStore}
 * keeps a copy of the model on each, every minibatch is split into one shard per device, each shard's forward
 * pass runs on its device inside the step's one gradient collector, and {@code trainer.step()} has DJL's
 * parameter server sum the gradients over the devices ({@link DataParallelPrimalOptimizer}).
 *
 * <p>The constrained problem sees the whole minibatch ({@link ShardedProblem}): the task loss is the
 * size-weighted mean of the shards' losses, i.e. the minibatch's mean, and the terms that do not depend on the
 * data (the expected-density constraints, a penalty) are evaluated once per minibatch on the first device, so the
 * multipliers take one dual step per minibatch on the minibatch's violation. The shards share one gate sample per
 * minibatch ({@link SharedGateNoise}): the first shard draws it from the engine's random stream as one device
 * would, so the run computes what one device computes up to floating-point rounding (the loss is summed per
 * shard, the gradients per device).
 *
 * <p>Devices (DJL's convention): {@code n} GPUs are {@code Engine.getDevices(n)}, GPUs 0 to n − 1. On the CPU,
 * which DJL counts as one device, the {@code n} shards run one after another on it through the same
 * code path (the data-parallel arithmetic without a speed-up). A shard takes {@code ⌊b/n⌋} or {@code ⌈b/n⌉} of a
 * minibatch of {@code b} examples (uneven shards are weighted by their size); a last minibatch smaller than
 * {@code n} is split into fewer shards. The fine-tuning phase ({@link FineTuner}) and evaluation run on the first
 * device.
 */
final class DataParallel {

    private final int shards;
    private final Device[] devices;
    private final SharedGateNoise noise = new SharedGateNoise();
    private ReplicatedOptimizer replicated;

    private DataParallel(int shards, Device[] devices) {
        this.shards = shards;
        this.devices = devices;
    }

    /**
     * Chooses the devices of a run.
     *
     * @param settings the run settings ({@link OptimizationSettings#devices()})
     * @param engine the engine
     * @param device the device asked for: a GPU, or the CPU
     * @return the data-parallel set-up
     * @throws IllegalArgumentException if more GPUs are asked for than the engine sees
     */
    static DataParallel of(RunSettings settings, Engine engine, Device device) {
        int n = settings.optimization().devices();
        if (n == 1 || !device.isGpu()) {
            return new DataParallel(n, new Device[] {device});
        }
        int gpus = engine.getGpuCount();
        if (gpus < n) {
            throw new IllegalArgumentException("devices: " + n + " GPUs asked for, the " + engine.getEngineName()
                    + " engine sees " + gpus);
        }
        return new DataParallel(n, engine.getDevices(n));
    }

    /**
     * Returns the trainer's devices, the first one the model's.
     *
     * @return the devices
     */
    Device[] devices() {
        return devices.clone();
    }

    /**
     * Returns the optimizer for the trainer's {@code TrainingConfig}: {@code adam} itself on one device, else
     * {@code adam} wrapped so that its state advances once per step ({@link ReplicatedOptimizer}).
     *
     * @param adam the primal optimizer, whose state the checkpoints hold
     * @param block the model's block
     * @return the trainer's optimizer
     */
    Optimizer trainerOptimizer(StatefulAdam adam, Block block) {
        if (devices.length == 1) {
            return adam;
        }
        replicated = new ReplicatedOptimizer(adam, block);
        return replicated;
    }

    /**
     * Returns the primal side of the constrained optimizer.
     *
     * @param trainer the trainer built with {@link #trainerOptimizer}
     * @param adam the primal optimizer
     * @return the primal optimizer
     */
    PrimalOptimizer primal(Trainer trainer, StatefulAdam adam) {
        return replicated == null ? new TrainerPrimalOptimizer(trainer, adam)
                : new DataParallelPrimalOptimizer(trainer, replicated);
    }

    /**
     * Returns the problem the constrained optimizer steps on: {@code whole} itself with one shard; else the
     * task loss on every shard and {@code whole}'s constraints and penalties once per minibatch.
     *
     * @param whole the problem on a whole minibatch
     * @param taskLoss the task loss of a (shard of a) minibatch {x, y}
     * @param network the gated layers, which share one gate sample per minibatch from now on
     * @return the problem
     */
    ConstrainedMinimizationProblem<NDArray[]> problem(L0Problem<NDArray[]> whole,
            Function<NDArray[], NDArray> taskLoss, GatedNetwork network) {
        if (shards == 1) {
            return whole;
        }
        network.layers().forEach(layer -> {
            if (layer instanceof GatedBlock gated) {
                gated.setSharedNoise(noise);
            }
        });
        L0Problem<NDArray[]> perShard = L0Problem.<NDArray[]>builder().setTaskLoss(taskLoss).build();
        L0Problem.Builder<NDArray[]> once = L0Problem.<NDArray[]>builder()
                .setTaskLoss(b -> b[0].getManager().zeros(new Shape()))
                .optGates(network);
        whole.terms().forEach(once::addConstraint);
        whole.penalties().forEach(once::addPenalty);
        return new ShardedProblem<>(perShard, once.build(), this::split);
    }

    /**
     * Splits a minibatch {x, y} into shards of {@code ⌊b/n⌋} or {@code ⌈b/n⌉} examples, each moved to its device,
     * and begins the minibatch's shared gate sample.
     *
     * @param batch the images and labels
     * @return the shards, weighted by their sizes
     */
    List<ShardedProblem.Shard<NDArray[]>> split(NDArray[] batch) {
        noise.newSample();
        long size = batch[0].getShape().get(0);
        int k = (int) Math.min(shards, size);
        long[] bounds = new long[k - 1];
        long[] sizes = new long[k];
        long start = 0;
        for (int i = 0; i < k; i++) {
            sizes[i] = size / k + (i < size % k ? 1 : 0);
            start += sizes[i];
            if (i < k - 1) {
                bounds[i] = start;
            }
        }
        NDList xs = k == 1 ? new NDList(batch[0]) : batch[0].split(bounds);
        NDList ys = k == 1 ? new NDList(batch[1]) : batch[1].split(bounds);
        List<ShardedProblem.Shard<NDArray[]>> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Device d = devices[devices.length == 1 ? 0 : i];
            out.add(new ShardedProblem.Shard<>(new NDArray[] {xs.get(i).toDevice(d, false),
                ys.get(i).toDevice(d, false)}, sizes[i]));
        }
        return out;
    }

    @Override
    public String toString() {
        return shards + " shards on " + Arrays.toString(devices);
    }
}
