package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;

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
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.StatefulOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.l0.gate.LogAlpha;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sparsity-aware training: 12 steps (SGD with momentum, and Adam) of a gated MLP 784-300-100-10 computing over
 * the live input columns only give the parameters of the masked dense computation, within float rounding.
 */
class SparseComputeTest {

    private static final int STEPS = 12;
    /**
     * Adam's epsilon here. With the usual 1e-8, Adam divides a gradient near 0 by its own magnitude: two
     * gradients of ~1e-9 that differ in their last bits (the GEMMs sum in another order) move the weight by up
     * to the learning rate in opposite directions, so the comparison measured chaos (1e-5 to 7e-4 depending on
     * the random draws). 1e-4 is below every gradient that matters and keeps near-zero gradients near-zero steps.
     */
    private static final float ADAM_EPSILON = 1e-4f;

    private static SequentialBlock lenet() {
        Shape k = new Shape(5, 5);
        return new SequentialBlock()
                .add(L0Conv2d.builder().setFilters(20).setKernelShape(k).build()).add(Activation.reluBlock())
                .add(ai.djl.nn.pooling.Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(L0Conv2d.builder().setFilters(50).setKernelShape(k).build()).add(Activation.reluBlock())
                .add(ai.djl.nn.pooling.Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(ai.djl.nn.Blocks.batchFlattenBlock())
                .add(L0Linear.builder().setUnits(500).build()).add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).build());
    }

    private static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(L0Linear.builder().setUnits(300).build()).add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(100).build()).add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).build());
    }

    /** Trains from seed-identical initial values; returns every parameter's values after the steps. */
    private static List<float[]> train(boolean sparse, long[] sparseForwards, boolean useAdam) {
        return train(false, sparse, sparseForwards, useAdam);
    }

    private static List<float[]> train(boolean conv, boolean sparse, long[] sparseForwards, boolean useAdam) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(5);
        SequentialBlock block = conv ? lenet() : mlp();
        Shape input = conv ? new Shape(16, 1, 28, 28) : new Shape(64, 784);
        try (Model model = Model.newInstance("sparse-" + sparse, "PyTorch")) {
            model.setBlock(block);
            StatefulOptimizer adam = useAdam
                    ? StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f))
                            .optLearningRateMultiplier(k -> LogAlpha.isGateParameter(k) ? 10f : 1f)
                            .optEpsilon(ADAM_EPSILON).build()
                    : StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(adam))) {
                trainer.initialize(input);
                adam.bindParameterNames(block);
                NDManager m = model.getNDManager();
                // about 60% dead first-layer gates, 30% dead second-layer gates: the sparse path is taken
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (LogAlpha.isGateParameter(p.getKey())) {
                        NDArray la = p.getValue().getArray();
                        long n = la.getShape().get(0);
                        float shift = n == 784 ? -3.2f : n == 20 ? 3f : -2.2f;
                        la.subi(la).addi(m.randomUniform(-1.5f, 1.5f, la.getShape()).add(shift));
                    }
                }
                block.getChildren().values().stream().filter(b -> b instanceof GatedBlock)
                        .forEach(b -> ((GatedBlock) b).setSparseCompute(sparse));
                for (int step = 0; step < STEPS; step++) {
                    engine.setRandomSeed(1000 + step);
                    try (NDManager s = m.newSubManager()) {
                        NDArray x = s.randomUniform(0, 1, input);
                        NDArray y = s.randomInteger(0, 10, new Shape(input.get(0)), ai.djl.ndarray.types.DataType.INT64)
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                        engine.setRandomSeed(2000 + step);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    LogAlpha.clampAll(block);
                }
                int i = 0;
                for (var child : block.getChildren().values()) {
                    if (child instanceof L0Linear layer) {
                        sparseForwards[i++] = layer.sparseForwards();
                    } else if (child instanceof L0Conv2d layer) {
                        sparseForwards[i++] = layer.sparseForwards();
                    }
                }
                List<float[]> values = new ArrayList<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    values.add(p.getValue().getArray().toFloatArray());
                }
                return values;
            }
        }
    }

    @ParameterizedTest(name = "adam = {0}")
    @ValueSource(booleans = {false, true})
    void liveColumnsOnlyGiveTheParametersOfTheMaskedDenseComputation(boolean adam) {
        long[] denseForwards = new long[3];
        long[] sparseForwards = new long[3];
        List<float[]> dense = train(false, denseForwards, adam);
        List<float[]> sparse = train(true, sparseForwards, adam);
        assertThat(denseForwards).containsOnly(0L);
        // the two first layers have few live gates: every step took the live-columns path there
        assertThat(sparseForwards[0]).isEqualTo(STEPS);
        assertThat(sparseForwards[1]).isEqualTo(STEPS);
        double worst = 0;
        boolean anyMoved = false;
        for (int p = 0; p < dense.size(); p++) {
            for (int i = 0; i < dense.get(p).length; i++) {
                worst = Math.max(worst, Math.abs(dense.get(p)[i] - sparse.get(p)[i]));
            }
        }
        // The same sample and the same masked gradients (exactly 0 for dead groups); only the GEMMs' summation
        // order differs, a few float32 ulps per step. SGD keeps that size (measured 1.5e-8 after 12 steps); Adam
        // (with ADAM_EPSILON) divides by sqrt(v) and grows it somewhat.
        System.out.println("SparseComputeTest: MLP, adam " + adam + ", largest parameter difference " + worst);
        assertThat(worst).isLessThan(adam ? 1e-5 : 1e-6);
    }

    @ParameterizedTest(name = "adam = {0}")
    @ValueSource(booleans = {false, true})
    void liveFiltersOnlyGiveTheParametersOfTheMaskedDenseLeNet(boolean adam) {
        long[] denseForwards = new long[4];
        long[] sparseForwards = new long[4];
        List<float[]> dense = train(true, false, denseForwards, adam);
        List<float[]> sparse = train(true, true, sparseForwards, adam);
        assertThat(denseForwards).containsOnly(0L);
        // conv1 keeps all its filters (log α + 3): dense path; conv2 and fc1 have few live groups
        assertThat(sparseForwards[0]).isZero();
        assertThat(sparseForwards[1]).isEqualTo(STEPS);
        assertThat(sparseForwards[2]).isEqualTo(STEPS);
        double worst = 0;
        for (int p = 0; p < dense.size(); p++) {
            for (int i = 0; i < dense.get(p).length; i++) {
                worst = Math.max(worst, Math.abs(dense.get(p)[i] - sparse.get(p)[i]));
            }
        }
        System.out.println("SparseComputeTest: LeNet, adam " + adam + ", largest parameter difference " + worst);
        assertThat(worst).isLessThan(adam ? 1e-5 : 1e-6);
    }

    /**
     * One training step of a single gated layer, sparse and dense, on each engine: PyTorch gathers the live
     * weight columns along axis 1; MXNet has no such gather and takes the rows of the weight's transpose.
     * Either way the output and every gradient are those of the masked dense layer.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void liveColumnsGiveTheMaskedDenseOutputAndGradientsOnEachEngine(String engineName) {
        List<float[]> dense = oneLayerStep(engineName, false);
        List<float[]> sparse = oneLayerStep(engineName, true);
        assertThat(sparse.get(0)).as("sparse forwards").containsExactly(1f);
        assertThat(dense.get(0)).as("dense forwards").containsExactly(0f);
        for (int i = 1; i < dense.size(); i++) {
            float[] d = dense.get(i);
            float[] s = sparse.get(i);
            assertThat(s).hasSameSizeAs(d);
            double worst = 0;
            for (int j = 0; j < d.length; j++) {
                worst = Math.max(worst, Math.abs(d[j] - s[j]));
            }
            // same sample, same masked products; only the summation order of the GEMM differs
            assertThat(worst).as("array %d (output, then the gradients of weight, bias, log alpha, input)", i)
                    .isLessThan(1e-5);
        }
    }

    /**
     * Inference with deterministic gates, most of them exactly 0, computes over the live columns only and gives
     * the masked dense output: the same products, summed in another order.
     */
    @Test
    void inferenceOverTheLiveColumnsGivesTheMaskedDenseOutput() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
            engine.setRandomSeed(21);
            L0Linear layer = L0Linear.builder().setUnits(30).build();
            layer.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(16, 50));
            NDArray la = layer.getParameters().get("log_alpha").getArray();
            // half the gates well below the threshold where the deterministic gate is 0, half well above it
            float[] values = new float[50];
            for (int j = 0; j < values.length; j++) {
                values[j] = j % 2 == 0 ? -4f : 2f + j / 50f;
            }
            la.set(values);
            NDArray x = m.randomUniform(0, 1, new Shape(16, 50));
            ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(m, false);
            layer.setSparseCompute(false);
            float[] dense = layer.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertThat(layer.sparseInferences()).isZero();
            layer.setSparseCompute(true);
            float[] sparse = layer.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertThat(layer.sparseInferences()).as("inference passes over the live columns").isEqualTo(1);
            assertThat(layer.sparseForwards()).as("training passes").isZero();
            assertThat(sparse).hasSameSizeAs(dense);
            for (int i = 0; i < dense.length; i++) {
                assertThat(sparse[i]).as("output %d", i).isCloseTo(dense[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
            // all gates open: more than the live fraction, the dense product
            la.set(new float[50]);
            la.addi(3f);
            layer.forward(store, new NDList(x), false);
            assertThat(layer.sparseInferences()).isEqualTo(1);
        }
    }

    /**
     * A sample offered with its values (the joint draw reads them once for all layers) gives the same live groups
     * as the engine finds in it; above the live fraction, or with no live group, neither computes sparsely.
     */
    @Test
    void liveGroupsFromOfferedValuesAreThoseTheEngineFinds() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
            L0Linear layer = L0Linear.builder().setUnits(4).build();
            layer.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 10));
            NDArray la = layer.getParameters().get("log_alpha").getArray();
            float[][] samples = {
                {0f, 0.5f, 0f, 1f, 0f, 0f, 1e-7f, 0f, 0f, 0.25f}, // 4 live of 10
                {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f, 0.5f}, // 9 live: above 80%
                new float[10], // none live
            };
            for (float[] values : samples) {
                NDArray z = m.create(values);
                NDArray fromEngine = layer.liveGroups(m.create(values), m);
                layer.offerSample(z, values.clone());
                assertThat(layer.batchSample(la, m)).isSameAs(z);
                NDArray fromValues = layer.liveGroups(z, m);
                if (fromEngine == null) {
                    assertThat(fromValues).isNull();
                } else {
                    assertThat(fromValues.getDataType()).isEqualTo(fromEngine.getDataType());
                    assertThat(fromValues.toLongArray()).containsExactly(fromEngine.toLongArray());
                }
            }
            assertThat(layer.liveGroups(m.create(samples[0]), m).toLongArray()).containsExactly(1, 3, 6, 9);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> layer.offerSample(m.create(samples[0]), new float[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 values, got 3");
        }
    }

    /** Returns {sparse forwards, output, gradient of weight, of bias, of log α, of the input} after one step. */
    private static List<float[]> oneLayerStep(String engineName, boolean sparse) {
        Engine engine = Engine.getEngine(engineName);
        try (NDManager m = NDManager.newBaseManager(engine.defaultDevice(), engineName)) {
            engine.setRandomSeed(11);
            L0Linear layer = L0Linear.builder().setUnits(30).build();
            layer.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            layer.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(8, 50));
            NDArray la = layer.getParameters().get("log_alpha").getArray();
            // about 60% dead gates: the live-columns path
            la.subi(la).addi(m.randomUniform(-1.5f, 1.5f, la.getShape()).sub(2.2f));
            layer.setSparseCompute(sparse);
            NDArray x = m.randomUniform(0, 1, new Shape(8, 50));
            x.setRequiresGradient(true); // as for a layer below another: its input's gradient too
            NDArray upstream = m.randomNormal(new Shape(8, 30));
            engine.setRandomSeed(12);
            List<float[]> out = new ArrayList<>();
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = layer.forward(new ai.djl.training.ParameterStore(m, false), new NDList(x), true)
                        .singletonOrThrow();
                gc.backward(y.mul(upstream).sum());
                out.add(new float[] {layer.sparseForwards()});
                out.add(y.toFloatArray());
            }
            for (String name : new String[] {"weight", "bias", "log_alpha"}) {
                out.add(layer.getParameters().get(name).getArray().getGradient().toFloatArray());
            }
            out.add(x.getGradient().toFloatArray());
            return out;
        }
    }
}
