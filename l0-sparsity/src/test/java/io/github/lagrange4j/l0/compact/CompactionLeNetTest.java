package io.github.lagrange4j.l0.compact;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.TestTimeGate;
import io.github.lagrange4j.l0.nn.ChannelAlignment;
import io.github.lagrange4j.l0.nn.ChannelsLast;
import io.github.lagrange4j.l0.nn.GatedBlock;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compaction of the full gated LeNet-5-Caffe 20-50-800-500 keeps its inference outputs within 1e-5 and
 * has the kept parameter count of {@link NetworkAccount}, in both test-time gate conventions.
 *
 * <p>Hand-set gates (log α = −3 dead, 0 and 1 fractional, 3 fully on under both conventions):
 *
 * <ul>
 *   <li>conv1: channels 3, 7, 12 dead, channel 0 fractional → 17 channels;
 *   <li>conv2: channels 0-9 dead, channel 20 fractional; channels 10 and 11 are alive but every fc1
 *       input they feed is dead, so they go too → 38 channels of 17 inputs;
 *   <li>fc1 (800 = 50 · 4 · 4, channel-major): the 32 inputs of channels 10-11 and positions 0-7 of
 *       channel 12 dead, channel 30's 16 inputs fractional; the inputs of the dead conv2 channels 0-9
 *       keep live gates and are removed by the intersection → 38 · 16 − 8 = 600 inputs;
 *   <li>fc2 (500 inputs): 0-199 dead, 200-219 fractional → fc1 keeps 300 units.
 * </ul>
 *
 * <p>Every comparison first checks that the engine's 20-input-channel convolution equals its
 * definition, so an engine defect is reported as such and not as a compaction error.
 *
 * <p>Kept parameters by hand: 17·(25+1) + 38·(17·25+1) + (600·300+300) + (300·10+10) = 442 + 16,188 +
 * 180,300 + 3,010 = 199,940.
 */
class CompactionLeNetTest {

    /**
     * The engines compared. PyTorch runs with oneDNN's default kernels: on a CPU where they are wrong for
     * 17-31 input channels (LeNet's conv2 has 20; once seen with AVX-512), {@link
     * #assertEngineConvolutionIsExact()} reports it.
     */
    static final List<String> ENGINES = List.of("PyTorch", "MXNet");

    private static final float DEAD = -3f;
    private static final float ON = 3f;

    private NDManager manager;

    private void open(String engine) {
        manager = NDManager.newBaseManager(Engine.getEngine(engine).defaultDevice(), engine);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    static SequentialBlock lenet(TestTimeGate convention) {
        Shape k = new Shape(5, 5);
        return new SequentialBlock()
                .add(L0Conv2d.builder().setFilters(20).setKernelShape(k).optTestTimeGate(convention).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(L0Conv2d.builder().setFilters(50).setKernelShape(k).optTestTimeGate(convention).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(L0Linear.builder().setUnits(500).optTestTimeGate(convention).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).optTestTimeGate(convention).build());
    }

    private static void set(GatedLayer layer, float[] values) {
        layer.logAlpha().getArray().set(FloatBuffer.wrap(values));
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static void handSetGates(GatedNetwork net) {
        float[] conv1 = filled(20, ON);
        conv1[3] = DEAD;
        conv1[7] = DEAD;
        conv1[12] = DEAD;
        conv1[0] = 0f;
        float[] conv2 = filled(50, ON);
        for (int c = 0; c < 10; c++) {
            conv2[c] = DEAD;
        }
        conv2[20] = 1f;
        float[] fc1 = filled(800, ON);
        for (int i = 10 * 16; i < 12 * 16; i++) {
            fc1[i] = DEAD;
        }
        for (int i = 12 * 16; i < 12 * 16 + 8; i++) {
            fc1[i] = DEAD;
        }
        for (int i = 30 * 16; i < 31 * 16; i++) {
            fc1[i] = 0f;
        }
        float[] fc2 = filled(500, ON);
        for (int i = 0; i < 200; i++) {
            fc2[i] = DEAD;
        }
        for (int i = 200; i < 220; i++) {
            fc2[i] = 1f;
        }
        set(net.layers().get(0), conv1);
        set(net.layers().get(1), conv2);
        set(net.layers().get(2), fc1);
        set(net.layers().get(3), fc2);
    }

    private static void nonZeroBiases(SequentialBlock block, long seed) {
        Random random = new Random(seed);
        for (GatedLayer layer : GatedNetwork.of(block).layers()) {
            NDArray b = ((GatedBlock) layer).bias().getArray();
            float[] v = new float[(int) b.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() * 0.1);
            }
            b.set(FloatBuffer.wrap(v));
        }
    }

    private float maxAbsDifference(SequentialBlock a, SequentialBlock b, NDArray x) {
        NDArray ya = a.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray yb = b.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        assertThat(yb.getShape()).isEqualTo(ya.getShape());
        return ya.sub(yb).abs().max().getFloat();
    }

    /**
     * Guards the comparison against a known engine defect: a 20-input-channel convolution must equal its
     * definition (a multiply-and-sum over one 5×5 patch).
     */
    private void assertEngineConvolutionIsExact() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(2, 20, 5, 5));
            NDArray w = scope.randomNormal(new Shape(3, 20, 5, 5));
            NDArray y = ChannelsLast.conv2d(x, w, scope.zeros(new Shape(3)), new Shape(1, 1), new Shape(0, 0),
                    ChannelsLast.fromEnvironment(), ChannelAlignment.fromEnvironment()).reshape(2, 3);
            NDArray exact = x.expandDims(1).mul(w.expandDims(0)).sum(new int[] {2, 3, 4});
            assertThat(y.sub(exact).abs().max().getFloat())
                    .as("the engine's conv2d with 20 input channels (in the layout and with the alignment the blocks use) is"
                            + " wrong on this machine (oneDNN blocked kernels); run the JVM with ONEDNN_MAX_CPU_ISA=SSE41")
                    .isLessThan(1e-4f);
        }
    }

    static Stream<Arguments> enginesAndConventions() {
        return ENGINES.stream().flatMap(e -> Stream.of(TestTimeGate.values()).map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("enginesAndConventions")
    void handSetGatesGiveTheHandCountedArchitectureAndTheSameOutputs(String engine, TestTimeGate convention) {
        open(engine);
        assertEngineConvolutionIsExact();
        Engine.getEngine(engine).setRandomSeed(5);
        SequentialBlock gated = lenet(convention);
        gated.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        GatedNetwork net = GatedNetwork.of(gated);
        handSetGates(net);
        nonZeroBiases(gated, 9);
        NetworkAccount account = NetworkAccount.of(net);

        CompactedModel compact = Compaction.compact(gated, manager);

        assertThat(compact.keptOutputs()).containsExactly(17L, 38L, 300L, 10L);
        assertThat(account.prunedArchitecture()).isEqualTo("17-40-760-300");
        assertThat(compact.parameterCount()).isEqualTo(199_940L).isEqualTo(account.keptParameters());
        NDArray fc1Weight = compact.block().getChildren().get(8).getValue()
                .getParameters().get("weight").getArray();
        assertThat(fc1Weight.getShape()).isEqualTo(new Shape(300, 600));
        NDArray x = manager.randomNormal(new Shape(16, 1, 28, 28));
        assertThat(maxAbsDifference(gated, compact.block(), x)).isLessThan(1e-5f);
    }

    static Stream<Arguments> enginesAndSeeds() {
        return ENGINES.stream().flatMap(e -> Stream.of(11L, 12L, 13L).map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("enginesAndSeeds")
    void randomGatesGiveTheSameOutputsAndTheReportedCount(String engine, long seed) {
        open(engine);
        assertEngineConvolutionIsExact();
        Engine.getEngine(engine).setRandomSeed((int) seed);
        SequentialBlock gated = GatedNets.lenet();
        gated.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        GatedNetwork net = GatedNetwork.of(gated);
        Random random = new Random(seed);
        for (GatedLayer layer : net.layers()) {
            float[] v = new float[(int) layer.logAlpha().getArray().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextDouble() * 9.2 - 4.6);
            }
            set(layer, v);
        }
        nonZeroBiases(gated, seed);
        NetworkAccount account = NetworkAccount.of(net);

        CompactedModel compact = Compaction.compact(gated, manager);

        assertThat(compact.parameterCount()).isEqualTo(account.keptParameters());
        assertThat(compact.parameterCount()).isLessThan(account.totalParameters() / 2);
        List<Long> kept = compact.keptOutputs();
        assertThat(kept.get(0)).isLessThan(20L);
        assertThat(kept.get(1)).isLessThan(50L);
        NDArray x = manager.randomNormal(new Shape(16, 1, 28, 28));
        assertThat(maxAbsDifference(gated, compact.block(), x)).isLessThan(1e-5f);
    }
}
