package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the GEMM self-check on the machine the tests run on, with the GEMM dispatch this JVM uses. */
class GemmCheckTest {

    /** The check's cases, run once for the tests that read them (the largest sums 235M products in Java). */
    private static List<GemmCheck.Case> cases;

    @BeforeAll
    static void runTheCheck() {
        cases = GemmCheck.run(Engine.getEngine("PyTorch"));
    }

    @Test
    void theProductsOfThisMachineAgreeWithDoublePrecision() {
        assertThat(cases).hasSize(12);
        for (GemmCheck.Case c : cases) {
            assertThat(c.passed()).as("%s with %s", c, GemmCheck.describeSetting()).isTrue();
            if (c.features() > 1) {
                // float32 against double: errors of float rounding, not zero (the references really differ)
                assertThat(c.forwardError()).as("%s", c).isGreaterThan(0).isLessThan(1e-5);
                assertThat(c.weightGradientError()).as("%s", c).isGreaterThan(0).isLessThan(1e-5);
            }
        }
    }

    @Test
    void theCheckCoversThePaperMlpLeNetsDenseLayersAndOddShapes() {
        assertThat(cases).extracting(c -> c.batch() + "x" + c.units() + "x" + c.features()).contains(
                "128x300x784", "128x100x300", "128x10x100", "128x500x800", "33x17x29", "7x3x1");
    }

    @Test
    void aRoundOfTheMlpProductsIsTimed() {
        double micros = GemmCheck.roundMicros(Engine.getEngine("PyTorch"), 0.05);
        // nine products of up to 128 x 300 x 183: more than a microsecond, less than a second on any CPU
        assertThat(micros).isGreaterThan(1).isLessThan(1e6);
    }

    @Test
    void aWrongOrNonFiniteProductFailsTheCase() {
        assertThat(GemmCheck.error(new float[] {1f, 2f}, new double[] {1, 2})).isZero();
        assertThat(GemmCheck.error(new float[] {1f, 2.5f}, new double[] {1, 2})).isEqualTo(0.25);
        assertThat(GemmCheck.error(new float[] {Float.NaN, 2f}, new double[] {1, 2})).isNaN();
        assertThat(new GemmCheck.Case(1, 2, 3, 1e-7, 1e-7, 1e-7).passed()).isTrue();
        assertThat(new GemmCheck.Case(1, 2, 3, 1e-7, 0.25, 1e-7).passed()).isFalse();
        assertThat(new GemmCheck.Case(1, 2, 3, 1e-7, 1e-7, Double.NaN).passed()).isFalse();
    }

    @Test
    void theCheckIsOneSourceFileThatNeedsOnlyDjlSoTheTestJvmWrapperCanRunItBeforeItsModuleIsBuilt()
            throws IOException {
        Path source = Path.of("src/main/java/io/github/lagrange4j/training/GemmCheck.java");
        List<String> imports = Files.readAllLines(source).stream()
                .filter(line -> line.startsWith("import ")).toList();
        assertThat(imports).isNotEmpty().allMatch(line -> line.startsWith("import ai.djl.")
                || line.startsWith("import java."), "imports only DJL and the JDK");
        assertThat(Files.readString(Path.of("../../scripts/test-jvm/bin/java"))).contains("GemmCheck.java");
    }
}
