package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specification of convolutions computed in the channels-last layout. */
class ChannelsLastTest {

    /** One PyTorch manager for the class, closed after its last case: every case creates a few small arrays in it. */
    @AutoClose
    private static final NDManager MANAGER =
            NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");

    /**
     * The channels-last convolution against the plain one, both in float64, LeNet-5's two layers among the cases;
     * the 1-channel input goes through its zero second channel, and its gradient is still the plain one. Float64
     * never takes the fast float32 kernels, so this holds the layout's own arithmetic (views, copies, the zero
     * channel) to the definition on any CPU; whether a CPU's float32 NHWC kernels are right is the kernel check's
     * question ({@code KernelCheckTest}, and every LeNet-5 test where the check chose channels-last).
     */
    @ParameterizedTest(name = "{0} -> {1} channels, stride {2}, padding {3}")
    @CsvSource({"20, 50, 1, 0", "1, 20, 1, 0", "17, 3, 2, 1", "32, 5, 1, 2", "3, 13, 1, 0"})
    void channelsLastGivesThePlainOutputAndGradients(int channels, int filters, int stride, int pad) {
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        ConvolutionForms.assertPlainOutputAndGradients(MANAGER, new Shape(3, channels, 12, 12), filters, s, p,
                channels * 37 + filters, DataType.FLOAT64, (x, w, b) -> ChannelsLast.conv2d(x, w, b, s, p));
    }

    @Test
    void theLayoutKeepsShapeAndNumbersAndItsZerosAreZeroMaps() {
        NDArray x = MANAGER.randomNormal(new Shape(2, 5, 4, 3));
        NDArray last = ChannelsLast.layout(x);
        assertThat(last.getShape()).isEqualTo(x.getShape());
        assertThat(last.contentEquals(x)).isTrue();
        assertThat(ChannelsLast.layout(last).contentEquals(x)).isTrue();
        NDArray zeros = ChannelsLast.zeros(MANAGER, new Shape(2, 5, 4, 3), DataType.FLOAT32);
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
     * A gated channels-last convolution trains as the plain one (both in float64, as above): the same output and
     * weight gradient, through the path of live filters only (a third of the gates dead) and through the dense
     * path.
     */
    @ParameterizedTest(name = "a third of the filters dead: {0}")
    @CsvSource({"true", "false"})
    void gatedConvolutionTrainsTheSameChannelsLastOrNot(boolean someDead) {
        L0Conv2d last = ConvolutionForms.assertGatedLayerTrainsAsThePlainOne(
                MANAGER, b -> b.optChannelAlignment(1).optChannelsLast(true), DataType.FLOAT64, someDead);
        assertThat(last.channelsLast()).isTrue();
        assertThat(last.sparseForwards()).isEqualTo(someDead ? 1 : 0);
    }

    @Test
    void aChannelsLastConvolutionSavesAsDjlsConv2d(@TempDir Path dir) throws IOException, MalformedModelException {
        Conv2d last = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1, true);
        assertThat(last).isInstanceOf(AlignedConv2d.class);
        assertThat(((AlignedConv2d) last).channelsLast()).isTrue();
        ConvolutionForms.assertSavesAsDjlsConv2d(MANAGER, dir, last,
                AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1, false), DataType.FLOAT64);
    }
}
