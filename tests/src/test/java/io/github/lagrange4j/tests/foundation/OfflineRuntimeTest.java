package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/**
 * The test JVM runs DJL offline and without tracking, both as environment variables and as system
 * properties (set by the parent POM's surefire configuration), with PyTorch as the default engine.
 */
class OfflineRuntimeTest {

    @Test
    void djlIsInOfflineMode() {
        assertThat(Utils.isOfflineMode()).isTrue();
        assertThat(System.getenv("DJL_OFFLINE")).isEqualTo("true");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void trackingIsOptedOut() {
        assertThat(System.getenv("OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    @Test
    void pyTorchIsTheDefaultEngineAndMxNetIsAvailable() {
        assertThat(System.getProperty("ai.djl.default_engine")).isEqualTo("PyTorch");
        assertThat(Engine.getDefaultEngineName()).isEqualTo("PyTorch");
        assertThat(Engine.getAllEngines()).contains("PyTorch", "MXNet");
    }
}
