package io.github.lagrange4j.l0.nn;

import static io.github.lagrange4j.l0.FloatAssertions.assertClose;
import static io.github.lagrange4j.l0.FloatAssertions.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.SpreadGatedMlp;
import io.github.lagrange4j.l0.account.ExpectedCost;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.SharedGateNoise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drawing all layers' gates at once is the per-layer draw: the same uniform noise number for number, the same
 * forward pass and gradients up to float rounding, and the same expected density; it steps aside where the layers
 * cannot share a draw.
 */
class JointGateSamplerTest {

    private final Engine engine = Engine.getEngine("PyTorch");
    private SpreadGatedMlp fixture;
    private NDManager manager;
    private SequentialBlock mlp;
    private GatedNetwork network;
    private ParameterStore store;
    private NDArray x;

    @BeforeEach
    void open() {
        fixture = new SpreadGatedMlp(engine);
        manager = fixture.manager;
        mlp = fixture.mlp;
        network = fixture.network;
        store = fixture.store;
        x = fixture.x;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void oneDrawOfAllGatesIsTheNoiseOfThePerLayerDrawsInLayerOrder() {
        HardConcrete hc = HardConcrete.DEFAULT;
        engine.setRandomSeed(11);
        NDList perLayer = new NDList();
        for (GatedLayer layer : network.layers()) {
            perLayer.add(hc.noise(manager, layer.logAlpha().getArray().getShape(), DataType.FLOAT32));
        }
        engine.setRandomSeed(11);
        NDArray joint = hc.noise(manager, new Shape(784 + 300 + 100), DataType.FLOAT32);

        assertThat(joint.toFloatArray()).containsExactly(NDArrays.concat(perLayer).toFloatArray());
    }

    @Test
    void theForwardPassAndTheGateGradientsAreThoseOfPerLayerSamplingUpToRounding() {
        JointGateSampler sampler = JointGateSampler.of(network.layers());
        assertThat(sampler).isNotNull();
        assertThat(sampler.gates()).isEqualTo(1184);

        engine.setRandomSeed(5);
        float[][] perLayer = forwardAndGateGradients(null);
        engine.setRandomSeed(5);
        float[][] joint = forwardAndGateGradients(sampler);

        assertClose(joint[0], perLayer[0], 1e-5f);
        for (int k = 1; k < joint.length; k++) {
            assertThat(joint[k]).as("log α gradient of layer %d", k - 1).hasSize(perLayer[k].length);
            assertClose(joint[k], perLayer[k], 1e-5f);
            assertThat(maxAbs(joint[k])).as("layer %d's gates get a gradient", k - 1).isGreaterThan(0f);
        }
    }

    /**
     * The closed-form sample (Java, joined by its tangent) is the engine's operation by operation: the same noise,
     * the same forward pass and log α gradients up to float rounding; with the tangent, the expected cost too.
     */
    @Test
    void theClosedFormDrawIsTheEngineDrawUpToRounding() {
        List<float[]> engineDraw = closedFormCostAndGradients(false);
        List<float[]> closedForm = closedFormCostAndGradients(true);
        assertClose(closedForm.get(0), engineDraw.get(0), 1e-5f); // network output
        assertThat(closedForm.get(1)[0]).as("expected active parameters")
                .isCloseTo(engineDraw.get(1)[0], within(1e-6f * engineDraw.get(1)[0]));
        for (int k = 2; k < closedForm.size(); k++) {
            assertClose(closedForm.get(k), engineDraw.get(k), 1e-5f);
            assertThat(maxAbs(closedForm.get(k))).as("layer %d's gates get a gradient", k - 2).isGreaterThan(0f);
        }
    }

    /** Output, expected active parameters (with this draw's tangent, if any) and each layer's log α gradient. */
    private List<float[]> closedFormCostAndGradients(boolean closedForm) {
        JointGateSampler sampler = JointGateSampler.of(network.layers()).optClosedForm(closedForm);
        List<float[]> out = new ArrayList<>();
        engine.setRandomSeed(17);
        try (NDManager step = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray joint = sampler.draw();
            assertThat(sampler.tangent() != null).as("a tangent exactly when drawn in closed form").isEqualTo(closedForm);
            NDArray y = mlp.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray cost = network.withJointLogAlpha(joint, sampler.tangent(),
                    () -> ExpectedCost.activeParameters(network, step));
            out.add(y.toFloatArray());
            out.add(cost.toFloatArray());
            gc.backward(y.square().sum().add(cost.mul(1e-2f)));
        }
        for (GatedLayer layer : network.layers()) {
            NDArray g = layer.logAlpha().getArray().getGradient();
            out.add(g.toFloatArray());
            g.subi(g);
        }
        return out;
    }

    @Test
    void anOfferIsUsedOnceAndAClosedOneIsIgnored() {
        JointGateSampler sampler = JointGateSampler.of(network.layers());
        engine.setRandomSeed(3);
        NDArray own = mlp.forward(store, new NDList(x), true).singletonOrThrow();

        engine.setRandomSeed(3);
        sampler.draw();
        NDArray offered = mlp.forward(store, new NDList(x), true).singletonOrThrow();
        engine.setRandomSeed(3);
        NDArray next = mlp.forward(store, new NDList(x), true).singletonOrThrow();
        assertClose(offered.toFloatArray(), own.toFloatArray(), 1e-5f);
        assertThat(next.toFloatArray()).as("the layers draw their own after the offer").containsExactly(own.toFloatArray());

        try (NDScope step = new NDScope()) {
            sampler.draw(); // offers arrays that the step scope closes
        }
        engine.setRandomSeed(3);
        NDArray afterClose = mlp.forward(store, new NDList(x), true).singletonOrThrow();
        assertThat(afterClose.toFloatArray()).containsExactly(own.toFloatArray());
    }

    /** Float64 gates draw jointly too; their layers then find their live groups with the engine. */
    @Test
    void float64GatesDrawJointlyAndFindTheirLiveGroupsWithTheEngine() {
        SequentialBlock wide = GatedNets.mlp();
        wide.initialize(manager, DataType.FLOAT64, new Shape(16, 784));
        GatedNetwork gated = GatedNetwork.of(wide);
        for (GatedLayer layer : gated.layers()) {
            NDArray la = layer.logAlpha().getArray();
            la.subi(la).addi(manager.randomUniform(-4f, 4f, la.getShape()).toType(DataType.FLOAT64, false));
        }
        JointGateSampler sampler = JointGateSampler.of(gated.layers());
        assertThat(sampler).isNotNull();
        NDArray x64 = x.toType(DataType.FLOAT64, false);
        engine.setRandomSeed(3);
        NDArray own = wide.forward(store, new NDList(x64), true).singletonOrThrow();
        engine.setRandomSeed(3);
        assertThat(sampler.draw().getDataType()).isEqualTo(DataType.FLOAT64);
        NDArray offered = wide.forward(store, new NDList(x64), true).singletonOrThrow();
        assertThat(offered.getDataType()).isEqualTo(DataType.FLOAT64);
        double[] a = offered.toDoubleArray();
        double[] b = own.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("output %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-9 + 1e-9 * Math.abs(b[i])));
        }
    }

    /** Expected active parameters and each layer's log α gradient (of the sample's sum plus the cost). */
    private List<float[]> costAndGradients(boolean shareLogAlpha) {
        JointGateSampler sampler = JointGateSampler.of(network.layers());
        List<float[]> out = new ArrayList<>();
        engine.setRandomSeed(9);
        try (NDManager step = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray joint = sampler.draw();
            NDArray y = mlp.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray cost = network.withJointLogAlpha(shareLogAlpha ? joint : null,
                    () -> ExpectedCost.activeParameters(network, step));
            out.add(cost.toFloatArray());
            gc.backward(y.sum().add(cost.mul(1e-3f)));
        }
        for (GatedLayer layer : network.layers()) {
            NDArray g = layer.logAlpha().getArray().getGradient();
            out.add(g.toFloatArray());
            g.subi(g);
        }
        return out;
    }

    @Test
    void theExpectedCostOfTheDrawnLogAlphaIsTheCostWithTheSameGradients() {
        List<float[]> own = costAndGradients(false);
        List<float[]> shared = costAndGradients(true);
        for (int i = 0; i < own.size(); i++) {
            // one concatenation instead of two: the same values, and the gradients of the sample and of the cost
            // meet before the split instead of after it, the same sums
            assertThat(shared.get(i)).as("cost, then the log alpha gradients").containsExactly(own.get(i));
        }
        // the cost is computed from the log alpha it is given (here shifted by 1), not from a concatenation of its own
        NDArray shifted = NDArrays.concat(new NDList(network.layers().stream()
                .map(l -> l.logAlpha().getArray()).toArray(NDArray[]::new))).add(1f);
        float moved = network.withJointLogAlpha(shifted, () -> ExpectedCost.activeParameters(network, manager))
                .getFloat();
        assertThat(moved).isGreaterThan(own.get(0)[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> network.withJointLogAlpha(
                manager.zeros(new Shape(7)), () -> 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gates of the network's layers");
    }

    @Test
    void layersThatCannotShareADrawAreLeftToDrawTheirOwn() {
        SequentialBlock mixed = new SequentialBlock()
                .add(L0Linear.builder().setUnits(4).build())
                .add(L0Linear.builder().setUnits(3).optSampling(GateSampling.PER_EXAMPLE).build());
        mixed.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
        assertThat(JointGateSampler.of(GatedNetwork.of(mixed).layers())).isNull();
        assertThat(JointGateSampler.of(network.layers().subList(0, 1))).as("one layer: nothing to join").isNull();

        SharedGateNoise noise = new SharedGateNoise();
        List<GatedBlock> blocks = new ArrayList<>();
        network.layers().forEach(l -> blocks.add((GatedBlock) l));
        blocks.forEach(b -> b.setSharedNoise(noise));
        noise.newSample();
        engine.setRandomSeed(9);
        NDArray shared = mlp.forward(store, new NDList(x), true).singletonOrThrow();
        noise.newSample();
        JointGateSampler.of(network.layers()).draw(); // with shared noise: offers nothing
        engine.setRandomSeed(9);
        NDArray afterDraw = mlp.forward(store, new NDList(x), true).singletonOrThrow();
        assertThat(afterDraw.toFloatArray()).containsExactly(shared.toFloatArray());
    }

    @Test
    void theExpectedActiveParametersOfAllLayersAtOnceAreTheSumOfTheLayersOwn() {
        try (NDManager step = manager.newSubManager()) {
            double joint = ExpectedCost.activeParameters(network, step).getFloat();
            double layers = ExpectedCost.layerActiveParameters(network, step).sum().getFloat();
            assertThat(joint).isCloseTo(layers, within(1e-6 * layers));
            assertThat(network.gateGroupSizes().toFloatArray()).hasSize(1184)
                    .startsWith(300f, 300f).endsWith(10f, 10f);
        }
    }

    private float[][] forwardAndGateGradients(JointGateSampler sampler) {
        for (GatedLayer layer : network.layers()) {
            NDArray g = layer.logAlpha().getArray().getGradient();
            g.subi(g); // gradients accumulate: start each pass from zero
        }
        float[][] out = new float[1 + network.size()][];
        try (GradientCollector gc = engine.newGradientCollector()) {
            if (sampler != null) {
                sampler.draw();
            }
            NDArray y = mlp.forward(store, new NDList(x), true).singletonOrThrow();
            out[0] = y.toFloatArray();
            gc.backward(y.square().sum());
        }
        for (int k = 0; k < network.size(); k++) {
            out[k + 1] = network.layers().get(k).logAlpha().getArray().getGradient().toFloatArray();
        }
        return out;
    }
}
