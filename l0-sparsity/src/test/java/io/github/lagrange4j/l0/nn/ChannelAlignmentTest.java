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

/** Specification of convolutions whose kernels see channel counts aligned with zero channels. */
class ChannelAlignmentTest {

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape NONE = new Shape(0, 0);

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

    @Test
    void inputsOfAtLeastTheAlignmentAndAllOutputsRoundUpToItsMultiples() {
        assertThat(ChannelAlignment.paddedInputs(1, 16)).isEqualTo(1);
        assertThat(ChannelAlignment.paddedInputs(15, 16)).isEqualTo(15);
        assertThat(ChannelAlignment.paddedInputs(16, 16)).isEqualTo(16);
        assertThat(ChannelAlignment.paddedInputs(20, 16)).isEqualTo(32);
        assertThat(ChannelAlignment.paddedOutputs(1, 16)).isEqualTo(16);
        assertThat(ChannelAlignment.paddedOutputs(50, 16)).isEqualTo(64);
        assertThat(ChannelAlignment.paddedOutputs(64, 16)).isEqualTo(64);
        assertThat(ChannelAlignment.paddedInputs(20, 1)).isEqualTo(20);
        assertThat(ChannelAlignment.paddedOutputs(50, 1)).isEqualTo(50);
    }

    /**
     * The aligned float32 convolution against the plain one in float64 (float64 convolutions never take the
     * fast float32 kernels, which may be wrong on this machine for unaligned counts: the reason for aligning).
     */
    @ParameterizedTest(name = "{0} -> {1} channels, stride {2}, padding {3}")
    @CsvSource({"20, 50, 1, 0", "1, 20, 1, 0", "17, 3, 2, 1", "32, 5, 1, 2"})
    void alignedConvolutionGivesThePlainOutputAndGradients(int channels, int filters, int stride, int pad) {
        Engine.getInstance().setRandomSeed(channels * 31 + filters);
        NDArray x = manager.randomNormal(new Shape(3, channels, 12, 12));
        NDArray w = manager.randomNormal(new Shape(filters, channels, 5, 5)).div(Math.sqrt(channels * 25.0));
        NDArray b = manager.randomNormal(new Shape(filters));
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        NDArray[] plain = outputAndGradients(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                b.toType(DataType.FLOAT64, true), 1, s, p);
        NDArray[] aligned = outputAndGradients(x, w, b, 16, s, p);
        String[] names = {"output", "d x", "d w", "d b"};
        for (int i = 0; i < 4; i++) {
            assertThat(aligned[i].getShape()).as(names[i]).isEqualTo(plain[i].getShape());
            double scale = plain[i].abs().max().getDouble();
            double error = aligned[i].toType(DataType.FLOAT64, true).sub(plain[i]).abs().max().getDouble();
            assertThat(error / scale).as(names[i]).isLessThan(1e-5);
        }
    }

    /** Returns {y, dx, dw, db} of sum(conv(x, w, b) · u) for a fixed upstream u = sin(0, 1, 2, ...). */
    private NDArray[] outputAndGradients(NDArray x0, NDArray w0, NDArray b0, int alignment, Shape s, Shape p) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = ChannelAlignment.conv2d(x, w, b, s, p, alignment);
            NDArray upstream = manager.arange((float) y.size()).reshape(y.getShape()).sin().toType(y.getDataType(), false);
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {
            y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()
        };
    }

    @Test
    void alignmentOneIsThePlainConvolutionBitForBit() {
        // few channels: counts the fast kernels compute right on every CPU seen (ChannelAlignment's class comment)
        NDArray x = manager.randomNormal(new Shape(2, 3, 12, 12));
        NDArray w = manager.randomNormal(new Shape(5, 3, 5, 5));
        NDArray y = ChannelAlignment.conv2d(x, w, null, ONE, NONE, 1);
        NDArray plain = Conv2d.conv2d(x, w, null, ONE, NONE).head();
        assertThat(y.contentEquals(plain)).isTrue();
    }

    @Test
    void theEnvironmentVariableMustBeAnAlignment() {
        assertThat(ChannelAlignment.parse(null)).isEqualTo(1);
        assertThat(ChannelAlignment.parse(" ")).isEqualTo(1);
        assertThat(ChannelAlignment.parse("16")).isEqualTo(16);
        assertThatThrownBy(() -> ChannelAlignment.parse("sixteen"))
                .hasMessageContaining(ChannelAlignment.ENVIRONMENT_VARIABLE).hasMessageContaining("sixteen");
        assertThatThrownBy(() -> ChannelAlignment.parse("0")).hasMessageContaining("[1, 256]");
        assertThatThrownBy(() -> L0Conv2d.builder().setFilters(4).setKernelShape(ONE).optChannelAlignment(300).build())
                .hasMessageContaining("channel alignment");
    }

    /**
     * A gated convolution aligned to 16 channels trains as the plain one: same output and weight gradient as the
     * unaligned layer computed in float64, through the path of live filters only (a third of the gates dead).
     */
    @Test
    void gatedConvolutionTrainsTheSameAlignedOrNot() {
        NDArray x = manager.randomNormal(new Shape(4, 20, 12, 12));
        // log α = ±20: every sample gives z = 1 or z = 0 exactly, in float32 and float64 alike
        float[] logAlpha = new float[50];
        for (int f = 0; f < 50; f++) {
            logAlpha[f] = f % 3 == 0 ? -20f : 20f;
        }
        L0Conv2d aligned = gatedConvolution(16, DataType.FLOAT32, x.getShape(), logAlpha);
        L0Conv2d plain = gatedConvolution(1, DataType.FLOAT64, x.getShape(), logAlpha);
        plain.weight().getArray().set(aligned.weight().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        plain.bias().getArray().set(aligned.bias().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        double[][] outputs = new double[2][];
        double[][] grads = new double[2][];
        L0Conv2d[] layers = {aligned, plain};
        for (int a = 0; a < 2; a++) {
            NDArray input = a == 0 ? x : x.toType(DataType.FLOAT64, true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layers[a].forward(new ParameterStore(manager, false), new NDList(input), true).head();
                outputs[a] = y.toType(DataType.FLOAT64, true).toDoubleArray();
                gc.backward(y.square().sum());
            }
            grads[a] = layers[a].weight().getArray().getGradient().toType(DataType.FLOAT64, true).toDoubleArray();
        }
        assertThat(aligned.sparseForwards()).isEqualTo(1);
        assertThat(maxRelativeDifference(outputs[0], outputs[1])).isLessThan(1e-5);
        assertThat(maxRelativeDifference(grads[0], grads[1])).isLessThan(1e-5);
    }

    private L0Conv2d gatedConvolution(int alignment, DataType type, Shape input, float[] logAlpha) {
        L0Conv2d layer = L0Conv2d.builder().setFilters(50).setKernelShape(new Shape(5, 5))
                .optChannelAlignment(alignment).optChannelsLast(false).build();
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
    void anAlignedConvolutionSavesAsDjlsConv2d(@TempDir Path dir) throws IOException, MalformedModelException {
        NDArray x = manager.randomNormal(new Shape(2, 3, 10, 10));
        double[] before;
        try (Model model = Model.newInstance("aligned", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 16);
            assertThat(conv).isInstanceOf(AlignedConv2d.class);
            SequentialBlock block = new SequentialBlock().add(conv);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head()
                    .toType(DataType.FLOAT64, true).toDoubleArray();
            model.save(dir, "aligned");
        }
        try (Model model = Model.newInstance("aligned", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1);
            assertThat(conv.getClass()).isEqualTo(Conv2d.class);
            model.setBlock(new SequentialBlock().add(conv));
            model.load(dir, "aligned");
            double[] after = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toType(DataType.FLOAT64, true).toDoubleArray();
            assertThat(maxRelativeDifference(after, before)).isLessThan(1e-6);
        }
    }

    @Test
    void dilatedOrGroupedConvolutionsAreNotAligned() {
        assertThatThrownBy(() -> AlignedConv2d.build(
                Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optDilation(new Shape(2, 2)), 16))
                .hasMessageContaining("dilation 1 and one group");
    }
}
