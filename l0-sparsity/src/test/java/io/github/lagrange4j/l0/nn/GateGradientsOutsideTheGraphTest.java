package io.github.lagrange4j.l0.nn;

import static io.github.lagrange4j.l0.FloatAssertions.assertClose;
import static io.github.lagrange4j.l0.FloatAssertions.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.primal.ColumnGradient;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.SpreadGatedMlp;
import io.github.lagrange4j.l0.account.ExpectedCost;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlphaTangent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With log α outside the graph, a training pass of the gated MLP gives the weight and log α gradients that
 * back-propagation through the gates gives, up to float rounding: {@code ∂L/∂z_j = Σ_i (∂L/∂W′)_ij W_ij / z_j}
 * for the layer computed as {@code (x ⊙ z) W′ᵀ}, and the expected density's part through its leaf; the layers
 * hand both to the optimizer and leave the weight's own gradient untouched.
 */
class GateGradientsOutsideTheGraphTest {

    private final Engine engine = Engine.getEngine("PyTorch");
    private SpreadGatedMlp fixture;
    private GatedNetwork network;

    @BeforeEach
    void open() {
        engine.setRandomSeed(3);
        fixture = new SpreadGatedMlp(engine);
        network = fixture.network;
    }

    @AfterEach
    void close() {
        network.layers().forEach(l -> ((L0Linear) l).setColumnGradients(false));
        fixture.close();
    }

    /** One pass of the output's square plus 1e-2 times the expected active parameters; per layer W′s then log α's gradient. */
    private List<float[]> gradients(boolean outsideTheGraph, int seed, boolean sparse) {
        return gradients(outsideTheGraph, seed, sparse, 1);
    }

    /**
     * {@code passes} passes (each its own draw) and one backward pass of their losses' sum (the costs in it for one
     * pass only): each pass's output and expected active parameters, then per layer W′s and log α's gradient.
     */
    private List<float[]> gradients(boolean outsideTheGraph, int seed, boolean sparse, int passes) {
        List<L0Linear> layers = new ArrayList<>();
        network.layers().forEach(l -> layers.add((L0Linear) l));
        layers.forEach(l -> {
            l.setColumnGradients(outsideTheGraph);
            l.setSparseCompute(sparse);
        });
        JointGateSampler sampler = JointGateSampler.of(layers).optGradientsOutsideTheGraph(outsideTheGraph);
        engine.setRandomSeed(seed);
        List<float[]> out = new ArrayList<>();
        try (NDManager step = fixture.manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray loss = null;
            for (int pass = 0; pass < passes; pass++) {
                NDArray joint = sampler.draw();
                assertThat(joint == null).as("no joint log α in the graph exactly when outside it")
                        .isEqualTo(outsideTheGraph);
                assertThat(sampler.tangent().gradientsOutsideTheGraph()).isEqualTo(outsideTheGraph);
                NDArray y = fixture.mlp.forward(fixture.store, new NDList(fixture.x), true).singletonOrThrow();
                NDArray cost = network.withJointLogAlpha(joint, sampler.tangent(),
                        () -> ExpectedCost.activeParameters(network, step));
                out.add(y.toFloatArray());
                out.add(cost.toFloatArray());
                // a draw settles the previous draw's sums (one draw per backward pass): with several passes before
                // one backward pass the costs stay out of the loss
                NDArray term = passes == 1 ? y.square().sum().add(cost.mul(1e-2f)) : y.square().sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        for (L0Linear layer : layers) {
            NDArray w = layer.weight().getArray();
            NDArray la = layer.logAlpha().getArray();
            if (outsideTheGraph) {
                try (NDArray own = w.getGradient()) {
                    assertThat(maxAbs(own.toFloatArray())).as("the weight's own gradient is not touched").isZero();
                }
                try (ColumnGradient g = layer.takeColumnGradient(layer.weight())) {
                    assertThat(g).isNotNull();
                    // over all of W the optimizer is asked for the column dots (its pass over W adds them); over the
                    // live columns the layer forms them from its leaf, a pass over those columns only
                    // (several passes: their sum at full size, the gates settled from each pass's leaf already)
                    assertThat(g.columnDots() == null).as("the optimizer is asked for the dots over all of W only")
                            .isEqualTo(passes > 1 || g.values().getShape().get(1) < w.getShape().get(1));
                    g.addColumnDots(w); // what an optimizer that takes the gradient does (before updating w)
                    try (NDArray dense = g.dense()) {
                        out.add(dense.toFloatArray());
                    }
                }
                try (ColumnGradient a = layer.takeColumnGradient(layer.logAlpha())) {
                    // on the CPU the gates' part is added into log α's own gradient array, which the optimizer
                    // then reads as after any backward pass
                    assertThat(a).as("log alpha's gradient in its own array").isNull();
                    try (NDArray own = la.getGradient()) {
                        out.add(own.toFloatArray());
                        own.subi(own);
                    }
                }
            } else {
                for (NDArray p : new NDArray[] {w, la}) {
                    NDArray g = p.getGradient();
                    out.add(g.toFloatArray());
                    g.subi(g);
                }
            }
        }
        return out;
    }

    @Test
    void weightAndLogAlphaGradientsAreThoseOfTheGraphUpToRounding() {
        for (boolean sparse : new boolean[] {true, false}) {
            List<float[]> graph = gradients(false, 17, sparse);
            List<float[]> outside = gradients(true, 17, sparse);
            assertClose(outside.get(0), graph.get(0), 1e-5f); // the same sample, the same output
            assertThat(outside.get(1)[0]).as("expected active parameters").isCloseTo(graph.get(1)[0],
                    within(1e-6f * graph.get(1)[0]));
            for (int k = 2; k < graph.size(); k++) {
                assertThat(outside.get(k)).hasSize(graph.get(k).length);
                assertClose(outside.get(k), graph.get(k), 2e-5f);
            }
            for (int layer = 0; layer < 3; layer++) {
                assertThat(maxAbs(outside.get(3 + 2 * layer))).as("layer %d's gates get a gradient", layer)
                        .isGreaterThan(0f);
            }
        }
        assertThat(((L0Linear) network.layers().get(0)).sparseForwards()).as("sparse passes were among them")
                .isPositive();
    }

    @Test
    void twoPassesBeforeOneBackwardPassEachKeepTheirOwnGates() {
        // a layer rewrites its gates' array in place only when no earlier pass still needs it in its graph
        for (boolean sparse : new boolean[] {true, false}) {
            List<float[]> graph = gradients(false, 23, sparse, 2);
            List<float[]> outside = gradients(true, 23, sparse, 2);
            assertThat(outside.get(0)).as("two different samples").isNotEqualTo(outside.get(2));
            for (int k = 0; k < graph.size(); k++) {
                assertThat(outside.get(k)).hasSize(graph.get(k).length);
                assertClose(outside.get(k), graph.get(k), 2e-5f);
            }
        }
    }

    /** ∂L/∂log α that the step's sums give for {@code L = 3 · f}, with f one of the step's expected costs. */
    private float[] sumGradient(JointGateSampler sampler, java.util.function.Function<NDManager, NDArray> f,
            float[] value) {
        try (NDManager step = fixture.manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            assertThat(sampler.draw()).isNull();
            NDArray cost = network.withJointLogAlpha(null, sampler.tangent(), () -> f.apply(step));
            value[0] = cost.getFloat();
            gc.backward(cost.mul(3f));
        }
        float[] dla = new float[Math.toIntExact(sampler.gates())];
        sampler.tangent().addSumGradients(dla, 0);
        return dla;
    }

    @Test
    void theDensityConstraintsLeafHoldsTheDensityMinusEpsilonAndTheDensitysSlopes() {
        network.layers().forEach(l -> ((L0Linear) l).setColumnGradients(true));
        JointGateSampler sampler = JointGateSampler.of(network.layers()).optGradientsOutsideTheGraph(true);
        float eps = 0.33f;
        float[] density = new float[1];
        float[] violation = new float[1];
        // log α does not change between the draws: the same density and slopes, whatever the noise
        float[] viaDensity = sumGradient(sampler, m -> ExpectedCost.density(network, m), density);
        float[] viaViolation = sumGradient(sampler, m -> ExpectedCost.densityMinus(network, eps, m), violation);
        try (NDManager m = fixture.manager.newSubManager()) {
            float onTheEngine = m.create(density[0]).sub(m.create(eps)).getFloat();
            assertThat(Float.floatToRawIntBits(violation[0])).as("the engine's float32 difference, bit for bit")
                    .isEqualTo(Float.floatToRawIntBits(onTheEngine));
        }
        assertThat(maxAbs(viaDensity)).isGreaterThan(0f);
        assertThat(viaViolation).containsExactly(viaDensity);
        // in the graph (no tangent outside it) the same function: the density minus ε on the engine
        try (NDManager m = fixture.manager.newSubManager()) {
            NDArray inGraph = ExpectedCost.densityMinus(network, eps, m);
            assertThat(inGraph.getFloat()).isCloseTo(ExpectedCost.density(network, m).getFloat() - eps, within(1e-6f));
        }
    }

    @Test
    void withoutColumnGradientsOrBeyondL0LinearTheDrawKeepsLogAlphaInTheGraph() {
        JointGateSampler sampler = JointGateSampler.of(network.layers()).optGradientsOutsideTheGraph(true);
        try (NDManager step = fixture.manager.newSubManager()) {
            NDArray joint = sampler.draw();
            assertThat(joint).isNotNull();
            assertThat(sampler.tangent().gradientsOutsideTheGraph()).isFalse();
            joint.close();
        }
        L0Linear first = (L0Linear) network.layers().get(0);
        assertThat(first.acceptsClosedFormSample()).isFalse();
        assertThatThrownBy(() -> first.offerClosedFormSample(new float[784], new float[784],
                LogAlphaTangent.withGradientsOutsideTheGraph(new float[1184]), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("column gradients off");
    }

    @Test
    void anEngineWithoutAGatherAlongAnAxisKeepsLogAlphaInTheGraph() {
        try (NDManager mx = Engine.getEngine("MXNet").newBaseManager()) {
            SequentialBlock net = GatedNets.mlp();
            net.initialize(mx, DataType.FLOAT32, new Shape(4, 784));
            GatedNetwork gated = GatedNetwork.of(net);
            gated.layers().forEach(l -> ((L0Linear) l).setColumnGradients(true));
            assertThat(gated.layers()).noneMatch(l -> ((L0Linear) l).acceptsClosedFormSample());
            NDArray joint = JointGateSampler.of(gated.layers()).optGradientsOutsideTheGraph(true).draw();
            assertThat(joint).as("log alpha concatenated in the graph").isNotNull();
        }
    }

    @Test
    void aSumOutsideTheGraphIsALeafWhoseGradientTimesItsSlopeIsLogAlphasPart() {
        LogAlphaTangent point = LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f, 1f, 2f});
        float[] slope = {1f, 2f, 3f};
        NDArray leaf;
        try (GradientCollector gc = engine.newGradientCollector(); NDManager step = fixture.manager.newSubManager()) {
            leaf = point.expandSum(5.0, slope, step);
            assertThat(leaf.getFloat()).isEqualTo(5f);
            gc.backward(leaf.mul(4f));
        }
        float[] dla = new float[2];
        point.addSumGradients(dla, 1);
        assertThat(dla).containsExactly(8f, 12f); // ∂L/∂s = 4, times the slopes of gates 1 and 2
        assertThat(leaf.isReleased()).as("settled: the leaf is closed").isTrue();
        assertThatThrownBy(() -> point.expand(new float[3], slope, fixture.manager))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside the graph");
        // a sum no backward pass reached contributes nothing
        LogAlphaTangent unused = LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f});
        unused.expandSum(1.0, new float[] {7f}, fixture.manager);
        float[] none = new float[1];
        unused.addSumGradients(none, 0);
        assertThat(none).containsExactly(0f);
    }

    @Test
    void aSumsSinkAddsWhatTheGraphWouldHaveGivenItsLeaf() {
        float[] slope = {1f, 2f, 3f};
        // through the graph: L = 4 (s − 1)
        LogAlphaTangent graph = LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f, 1f, 2f});
        try (GradientCollector gc = engine.newGradientCollector(); NDManager step = fixture.manager.newSubManager()) {
            NDArray leaf = graph.expandSum(5.0, slope, step);
            gc.backward(leaf.sub(1f).mul(4f));
        }
        float[] viaGraph = new float[3];
        graph.addSumGradients(viaGraph, 0);
        // outside it: the caller hands ∂L/∂s = 4 to the sink, and the backward pass never reaches the leaf
        LogAlphaTangent outside = LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f, 1f, 2f});
        try (GradientCollector gc = engine.newGradientCollector(); NDManager step = fixture.manager.newSubManager()) {
            NDArray leaf = outside.expandSum(5.0, slope, step);
            outside.gradientSinkFor(leaf).accept(new float[] {4f});
            NDArray unrelated = step.create(2f);
            unrelated.setRequiresGradient(true);
            gc.backward(unrelated.mul(3f));
        }
        float[] viaSink = new float[3];
        outside.addSumGradients(viaSink, 0);
        assertThat(viaSink).containsExactly(viaGraph).containsExactly(4f, 8f, 12f);
        // only a leaf of this point has a sink, only one value goes in, and only before the point settles
        assertThat(outside.gradientSinkFor(fixture.manager.create(5f))).isNull();
        LogAlphaTangent fresh = LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f});
        NDArray leaf = fresh.expandSum(1.0, new float[] {7f}, fixture.manager);
        assertThatThrownBy(() -> fresh.gradientSinkFor(leaf).accept(new float[] {1f, 2f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 value");
        var sink = fresh.gradientSinkFor(leaf);
        fresh.settle();
        assertThatThrownBy(() -> sink.accept(new float[] {1f})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("settled");
        assertThat(LogAlphaTangent.withGradientsOutsideTheGraph(new float[] {0f}).gradientSinkFor(leaf)).isNull();
    }
}
