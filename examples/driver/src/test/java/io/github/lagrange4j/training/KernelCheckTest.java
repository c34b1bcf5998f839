package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.github.lagrange4j.l0.nn.ChannelAlignment;
import io.github.lagrange4j.l0.nn.ChannelsLast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the convolution-kernel self-check on the machine the tests run on, with the kernels this JVM uses. */
class KernelCheckTest {

    /**
     * The check with the kernels this JVM uses, at the channel counts and in the layout this JVM's convolutions
     * use (channels-last or aligned when the kernel check chose them: {@code LAGRANGE4J_CONV_LAYOUT}, {@code
     * LAGRANGE4J_CONV_ALIGNMENT}).
     */
    @Test
    void theConvolutionKernelsOfThisMachineAgreeWithFloat64() {
        List<KernelCheck.Case> cases = KernelCheck.run(
                Engine.getEngine("PyTorch"), ChannelAlignment.fromEnvironment(), ChannelsLast.fromEnvironment());
        assertThat(cases).hasSize(9);
        for (KernelCheck.Case c : cases) {
            assertThat(c.passed()).as("%s with %s", c, KernelCheck.describeSetting()).isTrue();
            // float32 against float64: errors of float rounding, not zero (the float64 path really differs)
            assertThat(c.forwardError()).as("%s", c).isGreaterThan(0).isLessThan(1e-5);
        }
    }

    @Test
    void theCheckCoversLeNetsLayersAndTheChannelCountsAroundAVectorBlock() {
        List<KernelCheck.Case> cases = KernelCheck.run(Engine.getEngine("PyTorch"), 1);
        assertThat(cases).extracting(KernelCheck.Case::inputChannels).containsExactly(1, 20, 8, 16, 17, 24, 31, 32, 50);
        assertThat(cases).extracting(KernelCheck.Case::filters).containsExactly(20, 50, 16, 16, 16, 16, 16, 16, 16);
    }

    @Test
    void theAlignedCheckConvolvesTheChannelCountsAnAlignedConvolutionSees() {
        List<KernelCheck.Case> cases = KernelCheck.run(Engine.getEngine("PyTorch"), 16);
        // inputs below 16 stay, the others and every output count round up to a multiple of 16
        assertThat(cases).extracting(KernelCheck.Case::inputChannels).containsExactly(1, 32, 8, 16, 32, 32, 32, 32, 64);
        assertThat(cases).extracting(KernelCheck.Case::filters).containsExactly(32, 64, 16, 16, 16, 16, 16, 16, 16);
        for (KernelCheck.Case c : cases) {
            assertThat(c.passed()).as("%s with %s", c, KernelCheck.describeSetting()).isTrue();
        }
    }

    @Test
    void theChannelsLastCheckConvolvesThePlainChannelCounts() {
        List<KernelCheck.Case> cases = KernelCheck.run(Engine.getEngine("PyTorch"), 1, true);
        assertThat(cases).extracting(KernelCheck.Case::inputChannels).containsExactly(1, 20, 8, 16, 17, 24, 31, 32, 50);
        assertThat(cases).extracting(KernelCheck.Case::filters).containsExactly(20, 50, 16, 16, 16, 16, 16, 16, 16);
        for (KernelCheck.Case c : cases) {
            assertThat(c.forwardError()).as("%s", c).isGreaterThan(0); // computed, in float32 against float64
        }
    }

    @Test
    void theCheckIsOneSourceFileThatNeedsOnlyDjlSoTheTestJvmWrapperCanRunItBeforeItsModuleIsBuilt()
            throws IOException {
        Path source = Path.of("src/main/java/io/github/lagrange4j/training/KernelCheck.java");
        assertThat(source).exists();
        List<String> imports = Files.readAllLines(source).stream()
                .filter(line -> line.startsWith("import ")).toList();
        assertThat(imports).isNotEmpty().allMatch(line -> line.startsWith("import ai.djl.")
                || line.startsWith("import java."), "imports only DJL and the JDK");
        assertThat(Path.of("../../scripts/test-jvm/bin/java")).isExecutable();
    }

    @Test
    void aWrongOrNonFiniteResultFailsTheCase() {
        assertThat(new KernelCheck.Case(20, 50, 1e-6, 1e-6, 1e-6).passed()).isTrue();
        assertThat(new KernelCheck.Case(20, 50, 0.2, 1e-6, 1e-6).passed()).isFalse();
        assertThat(new KernelCheck.Case(20, 50, 1e-6, Double.NaN, 1e-6).passed()).isFalse();
        assertThat(new KernelCheck.Case(20, 50, 1e-6, 1e-6, 2e-3).passed()).isFalse();
    }
}
