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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specification of convolutions whose kernels see channel counts aligned with zero channels. */
class ChannelAlignmentTest {

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape NONE = new Shape(0, 0);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
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

    @ParameterizedTest(name = "{0} -> {1} channels, stride {2}, padding {3}")
    @CsvSource({"20, 50, 1, 0", "1, 20, 1, 0", "17, 3, 2, 1", "32, 5, 1, 2"})
    void alignedConvolutionGivesThePlainOutputAndGradients(int channels, int filters, int stride, int pad) {
        Engine.getInstance().setRandomSeed(channels * 31 + filters);
        NDArray x = manager.randomNormal(new Shape(3, channels, 12, 12));
        NDArray w = manager.randomNormal(new Shape(filters, channels, 5, 5)).div(Math.sqrt(channels * 25.0));
        NDArray b = manager.randomNormal(new Shape(filters));
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        NDArray[] plain = outputAndGradients(x, w, b, 1, s, p);
        NDArray[] aligned = outputAndGradients(x, w, b, 16, s, p);
        String[] names = {"output", "d x", "d w", "d b"};
        for (int i = 0; i < 4; i++) {
            assertThat(aligned[i].getShape()).as(names[i]).isEqualTo(plain[i].getShape());
            double scale = plain[i].abs().max().getFloat();
            assertThat(aligned[i].sub(plain[i]).abs().max().getFloat() / scale).as(names[i]).isLessThan(1e-5);
        }
    }

    /** Returns {y, dx, dw, db} of sum(conv(x, w, b) · u) for a fixed upstream u = 1 + y's own index pattern. */
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
            NDArray upstream = manager.arange((float) y.size()).reshape(y.getShape()).sin();
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {
            y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()
        };
    }

    @Test
    void alignmentOneIsThePlainConvolutionBitForBit() {
        NDArray x = manager.randomNormal(new Shape(2, 20, 12, 12));
        NDArray w = manager.randomNormal(new Shape(50, 20, 5, 5));
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

    @Test
    void gatedConvolutionTrainsTheSameAlignedOrNot() {
        float[][] grads = new float[2][];
        float[][] outputs = new float[2][];
        NDArray x = manager.randomNormal(new Shape(4, 20, 12, 12));
        for (int a = 0; a < 2; a++) {
            L0Conv2d layer = L0Conv2d.builder().setFilters(50).setKernelShape(new Shape(5, 5))
                    .optChannelAlignment(a == 0 ? 1 : 16).build();
            Engine.getInstance().setRandomSeed(11);
            layer.initialize(manager, DataType.FLOAT32, x.getShape());
            // a third of the gates far below 0: dead in every sample, so the sparse path (live filters only) runs
            float[] logAlpha = new float[50];
            for (int f = 0; f < 50; f++) {
                logAlpha[f] = f % 3 == 0 ? -20f : 2f;
            }
            layer.logAlpha().getArray().set(java.nio.FloatBuffer.wrap(logAlpha));
            Engine.getInstance().setRandomSeed(5);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
                outputs[a] = y.toFloatArray();
                gc.backward(y.square().sum());
            }
            grads[a] = layer.weight().getArray().getGradient().toFloatArray();
            assertThat(layer.sparseForwards()).isEqualTo(1);
        }
        assertThat(maxRelativeDifference(outputs[1], outputs[0])).isLessThan(1e-5);
        assertThat(maxRelativeDifference(grads[1], grads[0])).isLessThan(1e-5);
    }

    private static double maxRelativeDifference(float[] a, float[] b) {
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
        float[] before;
        try (Model model = Model.newInstance("aligned", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 16);
            assertThat(conv).isInstanceOf(AlignedConv2d.class);
            SequentialBlock block = new SequentialBlock().add(conv);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, x.getShape());
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            model.save(dir, "aligned");
        }
        try (Model model = Model.newInstance("aligned", "PyTorch")) {
            Conv2d conv = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1);
            assertThat(conv.getClass()).isEqualTo(Conv2d.class);
            model.setBlock(new SequentialBlock().add(conv));
            model.load(dir, "aligned");
            float[] after = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toFloatArray();
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
