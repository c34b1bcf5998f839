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
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(pad, pad);
        ConvolutionForms.assertPlainOutputAndGradients(manager, new Shape(3, channels, 12, 12), filters, s, p,
                channels * 31 + filters, DataType.FLOAT32, (x, w, b) -> ChannelAlignment.conv2d(x, w, b, s, p, 16));
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
        L0Conv2d aligned = ConvolutionForms.assertGatedLayerTrainsAsThePlainOne(
                manager, b -> b.optChannelAlignment(16).optChannelsLast(false), DataType.FLOAT32, true);
        assertThat(aligned.channelAlignment()).isEqualTo(16);
        assertThat(aligned.sparseForwards()).isEqualTo(1);
    }

    @Test
    void anAlignedConvolutionSavesAsDjlsConv2d(@TempDir Path dir) throws IOException, MalformedModelException {
        Conv2d aligned = AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 16);
        assertThat(aligned).isInstanceOf(AlignedConv2d.class);
        ConvolutionForms.assertSavesAsDjlsConv2d(manager, dir, aligned,
                AlignedConv2d.build(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)), 1), DataType.FLOAT32);
    }

    @Test
    void dilatedOrGroupedConvolutionsAreNotAligned() {
        assertThatThrownBy(() -> AlignedConv2d.build(
                Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optDilation(new Shape(2, 2)), 16))
                .hasMessageContaining("dilation 1 and one group");
    }
}
