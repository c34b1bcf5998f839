package io.github.lagrange4j.l0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Element-wise comparisons of float arrays relative to the scale of the expected values. */
public final class FloatAssertions {

    private FloatAssertions() {}

    /**
     * Asserts that every element is within {@code relative · max(1, max|expected|)} of the expected one.
     *
     * @param actual the values
     * @param expected the expected values, as many
     * @param relative the tolerance relative to the expected values' scale
     */
    public static void assertClose(float[] actual, float[] expected, float relative) {
        assertThat(actual).hasSize(expected.length);
        float scale = Math.max(1f, maxAbs(expected));
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(relative * scale));
        }
    }

    /**
     * Returns the largest absolute value.
     *
     * @param v the values
     * @return {@code max |v_i|}, 0 for none
     */
    public static float maxAbs(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
