package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.FixedPerVarTracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.gate.TestTimeGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Specification of the dense layer gated on its input neurons. */
class L0LinearTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private L0Linear initialised(L0Linear.Builder builder, long in) {
        L0Linear layer = builder.build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(2, in));
        return layer;
    }

    @Test
    void parametersHaveTheirShapesNamesAndInitialisation() {
        Engine.getInstance().setRandomSeed(11);
        L0Linear layer = initialised(L0Linear.builder().setUnits(300).optDroprate(0.2), 784);
        assertThat(layer.weight().getArray().getShape()).isEqualTo(new Shape(300, 784));
        assertThat(layer.bias().getArray().getShape()).isEqualTo(new Shape(300));
        assertThat(layer.logAlpha().getArray().getShape()).isEqualTo(new Shape(784));
        assertThat(layer.logAlpha().getName()).isEqualTo("log_alpha");
        assertThat(layer.getOutputShapes(new Shape[] {new Shape(7, 784)})[0]).isEqualTo(new Shape(7, 300));
        assertThat((double) layer.logAlpha().getArray().mean().getFloat()).isCloseTo(Math.log(4), within(2e-3));
        assertThat(layer.bias().getArray().abs().max().getFloat()).isEqualTo(0f);
        double std = Math.sqrt(layer.weight().getArray().square().mean().getFloat());
        assertThat(std).isCloseTo(Math.sqrt(2.0 / 784), within(0.02 * Math.sqrt(2.0 / 784)));
        assertThat(layer.groupShape()).isEqualTo(new GroupShape(784, 300, 300));
    }

    @Test
    void rescaleDividesInitialWeightsByKeepRate() {
        Engine.getInstance().setRandomSeed(11);
        L0Linear layer =
                initialised(L0Linear.builder().setUnits(300).optDroprate(0.5).optRescaleWeights(true), 784);
        double std = Math.sqrt(layer.weight().getArray().square().mean().getFloat());
        assertThat(std).isCloseTo(2 * Math.sqrt(2.0 / 784), within(0.04 * Math.sqrt(2.0 / 784)));
    }

    @ParameterizedTest
    @EnumSource(TestTimeGate.class)
    void inferenceMultipliesInputColumnsByTheDeterministicGate(TestTimeGate convention) {
        L0Linear layer = initialised(L0Linear.builder().setUnits(3).optTestTimeGate(convention), 4);
        layer.logAlpha().getArray().set(java.nio.FloatBuffer.wrap(new float[] {-5f, -1f, 0.5f, 5f}));
        layer.bias().getArray().set(java.nio.FloatBuffer.wrap(new float[] {0.1f, -0.2f, 0.3f}));
        NDArray x = manager.randomNormal(new Shape(5, 4));
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        float[] w = layer.weight().getArray().toFloatArray();
        float[] b = layer.bias().getArray().toFloatArray();
        float[] xs = x.toFloatArray();
        float[] logAlpha = {-5f, -1f, 0.5f, 5f};
        float[] ys = y.toFloatArray();
        for (int n = 0; n < 5; n++) {
            for (int o = 0; o < 3; o++) {
                double expected = b[o];
                for (int i = 0; i < 4; i++) {
                    expected += xs[n * 4 + i] * w[o * 4 + i] * HardConcrete.DEFAULT.deterministic(logAlpha[i], convention);
                }
                assertThat((double) ys[n * 3 + o]).isCloseTo(expected, within(1e-5));
            }
        }
        NDArray again = layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertThat(again.toFloatArray()).containsExactly(ys);
    }

    @Test
    void trainingUsesOneSeededSampleMultiplyingTheWeightColumns() {
        L0Linear layer = initialised(L0Linear.builder().setUnits(3), 6);
        NDArray x = manager.randomNormal(new Shape(4, 6));
        Engine.getInstance().setRandomSeed(99);
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        Engine.getInstance().setRandomSeed(99);
        NDArray z = HardConcrete.DEFAULT.sample(layer.logAlpha().getArray(), manager, new Shape(6));
        NDArray expected = Linear.linear(x, z.mul(layer.weight().getArray()), layer.bias().getArray()).head();
        assertThat(y.sub(expected).abs().max().getFloat()).isLessThan(1e-6f);
        NDArray other = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        assertThat(other.sub(y).abs().max().getFloat()).isGreaterThan(0f);
    }

    @ParameterizedTest
    @EnumSource(GateSampling.class)
    void perBatchGatesAreSharedAndPerExampleGatesAreNot(GateSampling sampling) {
        L0Linear layer = initialised(L0Linear.builder().setUnits(5).optSampling(sampling), 20);
        NDArray row = manager.randomNormal(new Shape(1, 20));
        NDArray x = row.repeat(0, 8);
        Engine.getInstance().setRandomSeed(5);
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        float spread = y.sub(y.get("0:1")).abs().max().getFloat();
        if (sampling == GateSampling.PER_BATCH) {
            // one gate vector for all rows; equal rows then give equal outputs up to the GEMM kernel's rounding,
            // which may differ by row tile (seen: 6e-8 when the sample leaves few live columns)
            assertThat(spread).isLessThan(1e-6f);
        } else {
            assertThat(spread).isGreaterThan(1e-3f);
        }
    }

    @Test
    void forwardLeavesNothingInTheParameterManager() {
        try (NDManager params = manager.newSubManager();
                NDManager step = manager.newSubManager()) {
            L0Linear layer = L0Linear.builder().setUnits(5).build();
            layer.initialize(params, DataType.FLOAT32, new Shape(8, 20));
            int owned = params.getManagedArrays().size();
            NDArray x = step.randomNormal(new Shape(8, 20));
            NDArray y = layer.forward(new ParameterStore(step, false), new NDList(x), true).head();
            NDArray yi = layer.forward(new ParameterStore(step, false), new NDList(x), false).head();
            try (NDManager scope = step.newSubManager()) {
                layer.expectedActiveParameters(scope);
                layer.groupSquaredNorms(scope);
                layer.keptGates();
            }
            assertThat(y.getManager()).isSameAs(step);
            assertThat(yi.getManager()).isSameAs(step);
            assertThat(params.getManagedArrays()).hasSize(owned);
        }
    }

    @Test
    void trainsWithADjlTrainerAndGivesGateGradientsAndItsOwnLearningRate() throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(21);
        SequentialBlock block = new SequentialBlock().add(L0Linear.builder().setUnits(1).build());
        try (Model model = Model.newInstance("l0-linear", "PyTorch")) {
            model.setBlock(block);
            NDManager m = model.getNDManager();
            NDArray x = m.randomNormal(new Shape(512, 8));
            NDArray trueW = m.create(new float[] {2f, -1f, 0f, 0f, 0.5f, 0f, 0f, 3f}).reshape(8, 1);
            NDArray yTrue = x.matMul(trueW);
            ArrayDataset data =
                    new ArrayDataset.Builder().setData(x).optLabels(yTrue).setSampling(64, true).build();
            block.initialize(m, DataType.FLOAT32, new Shape(64, 8));
            String gateId = LogAlpha.gateParameters(block).get(0).getId();
            FixedPerVarTracker lr =
                    FixedPerVarTracker.builder().setDefaultValue(0.05f).put(gateId, 0.1f).build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build());
            try (Trainer trainer = model.newTrainer(config)) {
                float first = Float.NaN;
                float last = Float.NaN;
                NDArray gateBefore = LogAlpha.gateParameters(block).get(0).getArray().duplicate();
                for (int epoch = 0; epoch < 15; epoch++) {
                    for (Batch batch : trainer.iterateDataset(data)) {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                        LogAlpha.clampAll(block);
                        batch.close();
                    }
                    try (NDManager s = m.newSubManager()) {
                        NDArray pred = trainer.evaluate(new NDList(x)).head();
                        float mse = pred.sub(yTrue).square().mean().getFloat();
                        if (epoch == 0) {
                            first = mse;
                        }
                        last = mse;
                    }
                }
                NDArray gateAfter = LogAlpha.gateParameters(block).get(0).getArray();
                assertThat(gateAfter.sub(gateBefore).abs().max().getFloat()).isGreaterThan(0.05f);
                assertThat(gateAfter.max().getFloat()).isLessThanOrEqualTo((float) LogAlpha.MAX + 1e-6f);
                assertThat(gateAfter.min().getFloat()).isGreaterThanOrEqualTo((float) LogAlpha.MIN - 1e-6f);
                assertThat(last).isLessThan(first * 0.5f);
            }
        }
    }

    @Test
    void saveAndLoadRoundTripKeepsGatesWeightsAndInferenceOutputs(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(8);
        NDArray x = manager.randomNormal(new Shape(3, 784));
        float[] before;
        float[] logAlphaBefore;
        try (Model model = Model.newInstance("gated-mlp", "PyTorch")) {
            SequentialBlock block = GatedNets.mlp();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 784));
            GatedNets.setLogAlpha((GatedLayer) block.getChildren().get(0).getValue(), -3f, 3f, 1, 2, 3);
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            logAlphaBefore = LogAlpha.gateParameters(block).get(0).getArray().toFloatArray();
            model.save(dir, "gated-mlp");
        }
        assertThat(Files.list(dir).count()).isGreaterThan(0);
        try (Model model = Model.newInstance("gated-mlp", "PyTorch")) {
            SequentialBlock block = GatedNets.mlp();
            model.setBlock(block);
            model.load(dir, "gated-mlp");
            float[] after = block.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            assertThat(after).containsExactly(before);
            assertThat(LogAlpha.gateParameters(block).get(0).getArray().toFloatArray()).containsExactly(logAlphaBefore);
            L0Linear first = (L0Linear) block.getChildren().get(0).getValue();
            assertThat(first.inputFeatures()).isEqualTo(784);
            assertThat(first.keptGates()).hasSize(784);
        }
        try (Model model = Model.newInstance("gated-mlp", "PyTorch")) {
            SequentialBlock wrong = new SequentialBlock().add(L0Linear.builder().setUnits(299).build());
            model.setBlock(wrong);
            assertThatThrownBy(() -> model.load(dir, "gated-mlp"))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessage("Saved L0Linear has 300 units, this block has 299");
        }
    }

    @Test
    void gateParametersAreFoundByNameInTheTree() {
        SequentialBlock block = GatedNets.mlp();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        long gates = 0;
        int named = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (LogAlpha.isGateParameter(p.getKey())) {
                named++;
                gates += p.getValue().getArray().size();
            }
        }
        assertThat(named).isEqualTo(3);
        assertThat(gates).isEqualTo(1184);
        assertThat(LogAlpha.gateParameters(block)).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -3})
    void invalidUnitsFailWithTheirRange(long units) {
        assertThatThrownBy(() -> L0Linear.builder().setUnits(units).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("units must be >= 1, got " + units);
    }

    @Test
    void invalidGateOptionsFailWithTheirRange() {
        assertThatThrownBy(() -> L0Linear.builder().setUnits(3).optDroprate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("droprate must be in (0, 1), got 1.5");
        assertThatThrownBy(() -> L0Linear.builder().setUnits(3).optTestTimeGate(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("testTimeGate must not be null");
        assertThatThrownBy(() -> L0Linear.builder().setUnits(3).build().groupShape())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("L0Linear is not initialised: initialise the block first");
    }
}
