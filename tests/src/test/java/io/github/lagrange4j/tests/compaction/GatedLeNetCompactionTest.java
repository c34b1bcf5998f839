package io.github.lagrange4j.tests.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.compact.CompactedModel;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.l0.nn.ChannelAlignment;
import io.github.lagrange4j.l0.nn.ChannelsLast;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import io.github.lagrange4j.models.GatedLeNet5;
import io.github.lagrange4j.models.ModelKind;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gated LeNet-5-Caffe of the models module, with hand-set gates, compacts into a model that gives the
 * same logits (within 1e-5) on 1,000 genuine MNIST test images and has the hand-counted kept parameters.
 *
 * <p>Gates (log α −3 dead, 0 and 1 fractional, 3 on): conv1 channels 1, 5, 9, 14 dead and 2 fractional
 * (16 kept); conv2 channels 40-49 dead and 0 fractional; fc1 (800 = 50·4·4 channel-major) the inputs of
 * channels 0-4 dead (so conv2 keeps 35 channels) and positions 8-15 of channel 5 dead, the inputs of channel
 * 6 fractional, the inputs of the dead channels 40-49 left on (removed by the intersection) → 35·16 − 8 = 552
 * inputs; fc2 inputs 250-499 dead, 0-9 fractional → 250 fc1 units. Kept parameters: 16·26 + 35·(16·25+1) +
 * (552·250+250) + (250·10+10) = 416 + 14,035 + 138,250 + 2,510 = 155,211.
 */
class GatedLeNetCompactionTest {

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }

    static void setGates(GatedNetwork net) {
        float[] conv1 = filled(20, 3f);
        for (int c : new int[] {1, 5, 9, 14}) {
            conv1[c] = -3f;
        }
        conv1[2] = 0f;
        float[] conv2 = filled(50, 3f);
        Arrays.fill(conv2, 40, 50, -3f);
        conv2[0] = 0f;
        float[] fc1 = filled(800, 3f);
        Arrays.fill(fc1, 0, 5 * 16, -3f);
        Arrays.fill(fc1, 5 * 16 + 8, 6 * 16, -3f);
        Arrays.fill(fc1, 6 * 16, 7 * 16, 0f);
        float[] fc2 = filled(500, 3f);
        Arrays.fill(fc2, 250, 500, -3f);
        Arrays.fill(fc2, 0, 10, 1f);
        float[][] all = {conv1, conv2, fc1, fc2};
        for (int k = 0; k < 4; k++) {
            net.layers().get(k).logAlpha().getArray().set(FloatBuffer.wrap(all[k]));
        }
        Random random = new Random(3);
        for (GatedLayer layer : net.layers()) {
            NDArray b = layer instanceof L0Conv2d ? ((L0Conv2d) layer).bias().getArray()
                    : ((L0Linear) layer).bias().getArray();
            float[] v = new float[(int) b.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.1 * random.nextGaussian());
            }
            b.set(FloatBuffer.wrap(v));
        }
    }

    /**
     * The engines compared. PyTorch runs with oneDNN's default kernels; on a CPU where its convolution with
     * 17-31 input channels is wrong (once seen with AVX-512), {@link #assertEngineConvolutionIsExact}
     * reports it.
     */
    static final String[] ENGINES = {"PyTorch", "MXNet"};

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void handGatedLeNetCompactsToTheSameLogitsOnGenuineImages(String engine) throws Exception {
        try (NDManager manager = Engine.getEngine(engine).newBaseManager()) {
            assertEngineConvolutionIsExact(manager);
            Engine.getEngine(engine).setRandomSeed(17);
            SequentialBlock gated = GatedLeNet5.build();
            gated.initialize(manager, DataType.FLOAT32, ModelKind.LENET.inputShape(1));
            GatedNetwork net = GatedNetwork.of(gated);
            setGates(net);
            NetworkAccount account = NetworkAccount.of(net);

            CompactedModel compact = Compaction.compact(gated, manager);

            assertThat(compact.keptOutputs()).containsExactly(16L, 35L, 250L, 10L);
            assertThat(compact.parameterCount()).isEqualTo(155_211L).isEqualTo(account.keptParameters());
            NDArray[] test = TrainedMlpRun.testImages(ModelKind.LENET, 1_000, manager);
            NDArray a = TrainedMlpRun.logits(gated, test[0]);
            NDArray b = TrainedMlpRun.logits(compact.block(), test[0]);
            float maxDifference = a.sub(b).abs().max().getFloat();
            System.out.printf("[" + engine + "] hand-gated LeNet %s: kept %d params, max |logit difference| %.3g on 1000 test"
                    + " images (logits up to %.2f)%n", account.prunedArchitecture(), compact.parameterCount(),
                    maxDifference, a.abs().max().getFloat());
            assertThat(maxDifference).isLessThan(1e-5f);
            assertThat(a.argMax(1).eq(b.argMax(1)).all().getBoolean()).isTrue();
        }
    }

    static String[] engines() {
        return ENGINES;
    }

    /** The comparison needs an exact convolution with 20 input channels (see the message). */
    static void assertEngineConvolutionIsExact(NDManager manager) {
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
}
