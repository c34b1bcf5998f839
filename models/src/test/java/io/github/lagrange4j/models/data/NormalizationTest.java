package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pixel normalisation follows x = (p/255 − mean)/std, and layouts give the documented shapes. */
class NormalizationTest {

    @Test
    void unitIntervalDividesBy255() {
        assertThat(Normalization.UNIT_INTERVAL.apply(0)).isEqualTo(0f);
        assertThat(Normalization.UNIT_INTERVAL.apply(51)).isCloseTo(0.2f, within(1e-7f));
        assertThat(Normalization.UNIT_INTERVAL.apply(255)).isEqualTo(1f);
    }

    @Test
    void mnistStandardizationUsesMean01307AndStd03081() {
        // (0/255 - 0.1307)/0.3081 and (255/255 - 0.1307)/0.3081, computed by hand
        assertThat(Normalization.MNIST_STANDARDIZED.apply(0)).isCloseTo(-0.4242129f, within(1e-6f));
        assertThat(Normalization.MNIST_STANDARDIZED.apply(255)).isCloseTo(2.8214865f, within(1e-6f));
    }

    @ParameterizedTest
    @EnumSource(Normalization.class)
    void lookupTableAgreesWithApply(Normalization normalization) {
        float[] table = normalization.lookupTable();
        assertThat(table).hasSize(256);
        for (int p = 0; p < 256; p++) {
            assertThat(table[p]).isEqualTo(normalization.apply(p));
        }
    }

    @Test
    void pixelsOutside0To255AreRejected() {
        assertThatThrownBy(() -> Normalization.UNIT_INTERVAL.apply(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pixel must be in [0, 255], got 256");
    }

    @Test
    void layoutsGiveFlatAndChannelFirstShapes() {
        assertThat(ImageLayout.FLAT.stackShape(5, 28, 28)).isEqualTo(new Shape(5, 784));
        assertThat(ImageLayout.CHANNEL_FIRST.stackShape(5, 28, 28)).isEqualTo(new Shape(5, 1, 28, 28));
        assertThatThrownBy(() -> ImageLayout.FLAT.stackShape(0, 28, 28))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count, rows and columns must be >= 1, got 0, 28, 28");
    }

    @Test
    void theSettingsLabelsMapToTheEnumAndBack() {
        assertThat(Normalization.fromLabel("unit")).isEqualTo(Normalization.UNIT_INTERVAL);
        assertThat(Normalization.fromLabel("standardized")).isEqualTo(Normalization.MNIST_STANDARDIZED);
        for (Normalization n : Normalization.values()) {
            assertThat(Normalization.fromLabel(n.label())).isEqualTo(n);
        }
        assertThatThrownBy(() -> Normalization.fromLabel("Unit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalization must be 'standardized' or 'unit', got 'Unit'");
    }
}
