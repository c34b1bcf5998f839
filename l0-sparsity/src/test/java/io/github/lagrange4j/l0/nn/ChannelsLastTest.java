package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specification of convolutions computed in the channels-last layout. */
class ChannelsLastTest {

    /** One PyTorch manager for the class: every case creates a few small arrays in it. */
    private static NDManager manager;

    @BeforeAll
    static void openTheEngine() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterAll
    static void closeTheEngine() {
        manager.close();
    }

    /**
     * The channels-last float32 convolution against the plain one in float64, LeNet-5's two layers among the
     * cases; the 1-channel input goes through its zero second channel, and its gradient is still the plain one.
     */
    @ParameterizedTest(name = "{0} -> {1} channels, stride {2}, padding {3}")
    @CsvSource({"20, 50, 1, 0", "1, 20, 1, 0", "17, 3, 2, 1", "32, 5, 1, 2", "3, 13, 1, 0"})
    void channelsLastGivesThePlainOutputAndGradients(int channels, int filters, int stride, int pad) {
        Engine.getInstance().setRandomSeed(channels * 37 + filters);
        NDArray x = manager.randomNormal(new Shape(3, channels, 12, 12));
        NDArray w = manager.randomNormal(new Shape(filters, channels, 5, 5)).div(Math.sqrt(channels * 25.0));
        NDArray b = manager.randomNormal(new Shape(filters));
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        NDArray[] plain = outputAndGradients(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                b.toType(DataType.FLOAT64, true), false, s, p);
        NDArray[] last = outputAndGradients(x, w, b, true, s, p);
        String[] names = {"output", "d x", "d w", "d b"};
        for (int i = 0; i < 4; i++) {
            assertThat(last[i].getShape()).as(names[i]).isEqualTo(plain[i].getShape());
            double scale = plain[i].abs().max().getDouble();
            double error = last[i].toType(DataType.FLOAT64, true).sub(plain[i]).abs().max().getDouble();
            assertThat(error / scale).as(names[i]).isLessThan(1e-5);
        }
    }

    /** Returns {y, dx, dw, db} of sum(conv(x, w, b) · u) for a fixed upstream u = sin(0, 1, 2, ...). */
    private NDArray[] outputAndGradients(NDArray x0, NDArray w0, NDArray b0, boolean channelsLast, Shape s, Shape p) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = channelsLast
                    ? ChannelsLast.conv2d(x, w, b, s, p)
                    : Conv2d.conv2d(x, w, b, s, p).singletonOrThrow();
            NDArray upstream = manager.arange((float) y.size()).reshape(y.getShape()).sin().toType(y.getDataType(), false);
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {
            y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()
        };
    }

    @Test
    void theLayoutKeepsShapeAndNumbersAndItsZerosAreZeroMaps() {
        NDArray x = manager.randomNormal(new Shape(2, 5, 4, 3));
        NDArray last = ChannelsLast.layout(x);
        assertThat(last.getShape()).isEqualTo(x.getShape());
        assertThat(last.contentEquals(x)).isTrue();
        assertThat(ChannelsLast.layout(last).contentEquals(x)).isTrue();
        NDArray zeros = ChannelsLast.zeros(manager, new Shape(2, 5, 4, 3), DataType.FLOAT32);
        assertThat(zeros.getShape()).isEqualTo(new Shape(2, 5, 4, 3));
        assertThat(zeros.abs().sum().getFloat()).isZero();
    }

    @Test
    void theEnvironmentVariableMustNameALayout() {
        assertThat(ChannelsLast.parse(null)).isFalse();
        assertThat(ChannelsLast.parse(" ")).isFalse();
        assertThat(ChannelsLast.parse("nchw")).isFalse();
        assertThat(ChannelsLast.parse("channels-last")).isTrue();
        assertThat(ChannelsLast.parse(" Channels-Last ")).isTrue();
        assertThatThrownBy(() -> ChannelsLast.parse("nhwc"))
                .hasMessageContaining(ChannelsLast.ENVIRONMENT_VARIABLE).hasMessageContaining("'nhwc'")
                .hasMessageContaining("channels-last");
    }

    /**
     * A gated channels-last convolution trains as the plain one: the same output and weight gradient as the
     * layer computed in float64, through the path of live filters only (a third of the gates dead) and through
     * the dense path.
     */
    @ParameterizedTest(name = "a third of the filters dead: {0}")
    @CsvSource({"true", "false"})
    void gatedConvolutionTrainsTheSameChannelsLastOrNot(boolean someDead) {
        NDArray x = manager.randomNormal(new Shape(4, 20, 12, 12));
        // log α = ±20: every sample gives z = 1 or z = 0 exactly, in float32 and float64 alike
        float[] logAlpha = new float[50];
        for (int f = 0; f < 50; f++) {
            logAlpha[f] = someDead && f % 3 == 0 ? -20f : 20f;
        }
        L0Conv2d last = gatedConvolution(true, DataType.FLOAT32, x.getShape(), logAlpha);
        L0Conv2d plain = gatedConvolution(false, DataType.FLOAT64, x.getShape(), logAlpha);
        assertThat(last.channelsLast()).isTrue();
        plain.weight().getArray().set(last.weight().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        plain.bias().getArray().set(last.bias().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        double[][] outputs = new double[2][];
        double[][] grads = new double[2][];
        L0Conv2d[] layers = {last, plain};
        for (int a = 0; a < 2; a++) {
            NDArray input = a == 0 ? x : x.toType(DataType.FLOAT64, true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layers[a].forward(new ParameterStore(manager, false), new NDList(input), true).head();
                outputs[a] = y.toType(DataType.FLOAT64, true).toDoubleArray();
                gc.backward(y.square().sum());
            }
            grads[a] = layers[a].weight().getArray().getGradient().toType(DataType.FLOAT64, true).toDoubleArray();
        }
        assertThat(last.sparseForwards()).isEqualTo(someDead ? 1 : 0);
        assertThat(maxRelativeDifference(outputs[0], outputs[1])).isLessThan(1e-5);
        assertThat(maxRelativeDifference(grads[0], grads[1])).isLessThan(1e-5);
    }

    private L0Conv2d gatedConvolution(boolean channelsLast, DataType type, Shape input, float[] logAlpha) {
        L0Conv2d layer = L0Conv2d.builder().setFilters(50).setKernelShape(new Shape(5, 5))
                .optChannelAlignment(1).optChannelsLast(channelsLast).build();
        layer.initialize(manager, type, input);
        if (type == DataType.FLOAT64) {
            layer.logAlpha().getArray().set(manager.create(logAlpha).toType(type, false).toDoubleArray());
        } else {
            layer.logAlpha().getArray().set(logAlpha);
        }
        return layer;
    }

    private static double maxRelativeDifference(double[] a, double[] b) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / scale;
    }

    @Test
    void aChannelsLastConvolutionSavesAsDjlsConv2d(@TempDir Path dir) throws IOException, MalformedModelException {
        NDArray x = manager.randomNormal(new Shape(2, 3, 10, 10));
        double[] before;
        try (Model model = Model.newInstance("last", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1, true);
            assertThat(conv).isInstanceOf(AlignedConv2d.class);
            assertThat(((AlignedConv2d) conv).channelsLast()).isTrue();
            SequentialBlock block = new SequentialBlock().add(conv);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head()
                    .toType(DataType.FLOAT64, true).toDoubleArray();
            model.save(dir, "last");
        }
        try (Model model = Model.newInstance("last", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1, false);
            assertThat(conv.getClass()).isEqualTo(Conv2d.class);
            model.setBlock(new SequentialBlock().add(conv));
            model.load(dir, "last");
            double[] after = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toType(DataType.FLOAT64, true).toDoubleArray();
            assertThat(maxRelativeDifference(after, before)).isLessThan(1e-6);
        }
    }
}
