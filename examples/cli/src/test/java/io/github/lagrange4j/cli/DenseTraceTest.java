package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bench --profile FILE} writes the dense epoch's trace beside FILE, {@code -dense} before its extension. */
class DenseTraceTest {

    @Test
    void theSuffixGoesBeforeTheExtension() {
        assertThat(BenchCommand.denseTrace(Path.of("runs", "step.json"))).isEqualTo(Path.of("runs", "step-dense.json"));
        assertThat(BenchCommand.denseTrace(Path.of("step.trace.json"))).isEqualTo(Path.of("step.trace-dense.json"));
    }

    @Test
    void aNameWithoutAnExtensionOrOnlyAnExtensionGetsItAtTheEnd() {
        assertThat(BenchCommand.denseTrace(Path.of("/tmp", "trace"))).isEqualTo(Path.of("/tmp", "trace-dense"));
        assertThat(BenchCommand.denseTrace(Path.of(".json"))).isEqualTo(Path.of(".json-dense"));
    }
}
