package io.github.lagrange4j.l0.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Specification of log α conventions: clamp range, initialisers. */
class LogAlphaTest {

    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void clampInPlaceLimitsToLogOneHundredthAndLogHundred(String engine) {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine(engine).defaultDevice(), engine)) {
            NDArray la = m.create(new float[] {-9f, -4f, 0.5f, 4.7f, 12f});
            la.setRequiresGradient(true);
            LogAlpha.clampInPlace(la);
            float[] v = la.toFloatArray();
            assertThat(LogAlpha.MIN).isCloseTo(-4.60517, within(1e-5));
            assertThat((double) v[0]).isCloseTo(LogAlpha.MIN, within(1e-6));
            assertThat(v[1]).isEqualTo(-4f);
            assertThat(v[2]).isEqualTo(0.5f);
            assertThat((double) v[3]).isCloseTo(LogAlpha.MAX, within(1e-6));
            assertThat((double) v[4]).isCloseTo(LogAlpha.MAX, within(1e-6));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void clampingLeavesNoArrayBehindInTheParametersManager(String engine) {
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine(engine).defaultDevice(), engine)) {
            NDArray la = m.create(new float[] {-9f, 0.5f, 12f});
            int before = m.getManagedArrays().size();

            for (int step = 0; step < 100; step++) {
                LogAlpha.clampInPlace(la);
            }

            assertThat(m.getManagedArrays()).hasSize(before);
            assertThat(la.toFloatArray()[1]).isEqualTo(0.5f);
        }
    }

    /** The clamp through the array's memory (PyTorch on the CPU) writes the bits of the engine's clamp. */
    @Test
    void clampThroughTheArraysMemoryGivesTheEnginesBits() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            float[] values = m.randomUniform(-12f, 12f, new Shape(5000)).toFloatArray();
            values[0] = Float.NaN;
            values[1] = -0f;
            values[2] = (float) LogAlpha.MIN;
            values[3] = Math.nextDown((float) LogAlpha.MIN);
            values[4] = Math.nextUp((float) LogAlpha.MAX);
            NDArray la = m.create(values);
            NDArray viaEngine = m.create(values);
            int before = m.getManagedArrays().size();

            LogAlpha.clampInPlace(la);
            LogAlpha.clampInPlace(la);
            assertThat(m.getManagedArrays()).as("no array made for the clamp").hasSize(before);
            NDArray lower = m.create((float) LogAlpha.MIN);
            NDArray upper = m.create((float) LogAlpha.MAX);
            viaEngine.subi(viaEngine.sub(viaEngine.maximum(lower).minimum(upper)));

            float[] clamped = la.toFloatArray();
            float[] expected = viaEngine.toFloatArray();
            assertThat(clamped[0]).isNaN();
            for (int i = 1; i < clamped.length; i++) {
                assertThat(Float.floatToRawIntBits(clamped[i])).as("element %d (%s)", i, values[i])
                        .isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
            assertThat(clamped).as("out-of-range entries moved").contains((float) LogAlpha.MIN, (float) LogAlpha.MAX);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.5})
    void logAlphaInitialiserIsNormalAroundLogOddsWithStd001(double droprate) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            NDArray la = new LogAlphaInitializer(droprate).initialize(m, new Shape(100_000), DataType.FLOAT32);
            double mean = Math.log(1 - droprate) - Math.log(droprate);
            assertThat((double) la.mean().getFloat()).isCloseTo(mean, within(2e-4));
            NDArray centred = la.sub(la.mean());
            double std = Math.sqrt(centred.square().mean().getFloat());
            assertThat(std).isCloseTo(0.01, within(2e-4));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 2.0})
    void heNormalHasStdScaleTimesSqrtTwoOverFanIn(double scale) {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            NDArray w = new HeNormalInitializer(scale).initialize(m, new Shape(400, 20, 5, 5), DataType.FLOAT32);
            double std = Math.sqrt(w.square().mean().getFloat());
            assertThat(std).isCloseTo(scale * Math.sqrt(2.0 / 500), within(0.01 * scale * Math.sqrt(2.0 / 500)));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, Double.NaN})
    void invalidDroprateFailsWithItsRange(double droprate) {
        assertThatThrownBy(() -> new LogAlphaInitializer(droprate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("droprate must be in (0, 1), got " + droprate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01L0Linear_log_alpha", "log_alpha"})
    void gateParametersAreRecognisedByName(String name) {
        assertThat(LogAlpha.isGateParameter(name)).isTrue();
        assertThat(LogAlpha.isGateParameter("01L0Linear_weight")).isFalse();
    }
}
