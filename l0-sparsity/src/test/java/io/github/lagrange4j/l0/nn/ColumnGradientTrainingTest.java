package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.StatefulOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.l0.gate.LogAlpha;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Column gradients: a sparse pass of {@link L0Linear} hands the optimizer its weight's gradient as the live
 * columns only, and the training is the one from the full-size gradient, bit for bit (the same products and
 * sums reach the same update; only where the gradient is stored changes).
 */
class ColumnGradientTrainingTest {

    private static final int STEPS = 8;

    /** What a training run left: every parameter's values, and how the updates ran. */
    private record Outcome(List<float[]> parameters, long columnUpdates, long sparseForwards) {}

    private static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(L0Linear.builder().setUnits(300).build()).add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(100).build()).add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).build());
    }

    /**
     * Trains the gated MLP (sparse compute on, about 60% and 30% of the first two layers' gates dead) through
     * {@link TrainerPrimalOptimizer}, from seed-identical values.
     *
     * @param columnGradients whether the layers hand out column gradients (the primal optimizer turns them on)
     * @param passesPerStep training passes (batches) whose gradients add up before each update
     */
    private static Outcome train(String engineName, boolean useAdam, boolean columnGradients, int passesPerStep) {
        Engine engine = Engine.getEngine(engineName);
        engine.setRandomSeed(5);
        SequentialBlock block = mlp();
        Shape input = new Shape(32, 784);
        try (Model model = Model.newInstance("columns-" + columnGradients, engineName)) {
            model.setBlock(block);
            StatefulOptimizer optimizer = useAdam
                    ? StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f))
                            .optLearningRateMultiplier(k -> LogAlpha.isGateParameter(k) ? 10f : 1f).build()
                    : StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9).build();
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(input);
                optimizer.bindParameterNames(block);
                NDManager m = model.getNDManager();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (LogAlpha.isGateParameter(p.getKey())) {
                        NDArray la = p.getValue().getArray();
                        float shift = la.getShape().get(0) == 784 ? -3.2f : -2.2f;
                        la.subi(la).addi(m.randomUniform(-1.5f, 1.5f, la.getShape()).add(shift));
                    }
                }
                TrainerPrimalOptimizer primal = new TrainerPrimalOptimizer(trainer, optimizer);
                List<L0Linear> layers = layers(block);
                assertThat(layers).allMatch(L0Linear::isColumnGradients);
                if (!columnGradients) {
                    layers.forEach(l -> l.setColumnGradients(false));
                }
                for (int step = 0; step < STEPS; step++) {
                    for (int pass = 0; pass < passesPerStep; pass++) {
                        engine.setRandomSeed(1000 + 10 * step + pass);
                        try (NDManager s = m.newSubManager()) {
                            NDArray x = s.randomUniform(0, 1, input);
                            NDArray y = s.randomInteger(0, 10, new Shape(input.get(0)), DataType.INT64)
                                    .toType(DataType.FLOAT32, false);
                            try (GradientCollector gc = primal.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                            }
                        }
                    }
                    primal.step();
                    LogAlpha.clampAll(block);
                }
                List<float[]> values = new ArrayList<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    values.add(p.getValue().getArray().toFloatArray());
                }
                return new Outcome(values, optimizer.columnUpdates(), layers.get(0).sparseForwards());
            }
        }
    }

    private static List<L0Linear> layers(Block block) {
        List<L0Linear> out = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof L0Linear layer) {
                out.add(layer);
            }
        }
        return out;
    }

    private static void assertSameParameters(Outcome actual, Outcome expected) {
        assertThat(actual.parameters()).hasSameSizeAs(expected.parameters());
        for (int i = 0; i < expected.parameters().size(); i++) {
            assertThat(actual.parameters().get(i)).as("parameter %d", i).containsExactly(expected.parameters().get(i));
        }
    }

    @ParameterizedTest(name = "{0}, adam = {1}")
    @CsvSource({"PyTorch, true", "PyTorch, false", "MXNet, true"})
    void trainingFromTheLiveColumnsGradientIsTrainingFromTheFullGradientBitForBit(String engine, boolean adam) {
        Outcome full = train(engine, adam, false, 1);
        Outcome columns = train(engine, adam, true, 1);
        assertSameParameters(columns, full);
        assertThat(full.columnUpdates()).isZero();
        assertThat(columns.sparseForwards()).isEqualTo(STEPS);
        if ("PyTorch".equals(engine)) {
            // the three layers were sparse at every step: their weights were updated from the columns
            assertThat(columns.columnUpdates()).isEqualTo(3L * STEPS);
        } else {
            // MXNet has no gather along an axis: the layers keep the full gradient
            assertThat(columns.columnUpdates()).isZero();
        }
    }

    @Test
    void gradientsOfSeveralPassesBeforeOneUpdateAddUpAsTheFullGradientsDo() {
        Outcome full = train("PyTorch", true, false, 3);
        Outcome columns = train("PyTorch", true, true, 3);
        assertSameParameters(columns, full);
        // three passes with different live columns before each update: handed over summed, at full size
        assertThat(columns.columnUpdates()).isZero();
    }

    @Test
    void passesWhoseColumnGradientsNobodyTakesFailInsteadOfTrainingWithoutThem() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
            L0Linear layer = L0Linear.builder().setUnits(4).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(2, 50));
            NDArray la = layer.getParameters().get("log_alpha").getArray();
            // half the gates always off, half always on: every pass takes the sparse path
            float[] logAlpha = new float[50];
            for (int j = 0; j < logAlpha.length; j++) {
                logAlpha[j] = j % 2 == 0 ? -20f : 20f;
            }
            la.subi(la).addi(m.create(logAlpha));
            layer.setColumnGradients(true);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 50));
            int passes = 0;
            try {
                for (; passes < L0Linear.MAX_PENDING_COLUMN_GRADIENTS; passes++) {
                    layer.forward(store, new NDList(x), true).close();
                }
                assertThat(layer.sparseForwards()).isEqualTo(L0Linear.MAX_PENDING_COLUMN_GRADIENTS);
                assertThatThrownBy(() -> layer.forward(store, new NDList(x), true))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("no optimizer took it")
                        .hasMessageContaining("setColumnGradients");
            } finally {
                layer.setColumnGradients(false);
            }
            // turned off, the weight's gradient is whole again: the passes go on
            layer.forward(store, new NDList(x), true).close();
        }
    }
}
