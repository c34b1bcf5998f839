package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * The profile summary counts the operations the program dispatched itself: an event inside another event of
 * the same thread (a kernel of a backward node, an operator called by an operator) belongs to its caller.
 */
class OperatorProfileTest {

    // thread 1: addmm (0-10) with a nested mm (1-9) and its nested copy (2-3); mul (12-14); a backward node
    // (20-50) with two nested kernels; thread 2: one mul (5-6) during thread 1's addmm; plus a non-"X" event
    private static final String TRACE = """
            [
              {"name": "aten::addmm", "ph": "X", "ts": 0, "dur": 10, "tid": 1, "args": {}},
              {"name": "aten::mm", "ph": "X", "ts": 1, "dur": 8, "tid": 1},
              {"name": "aten::copy_", "ph": "X", "ts": 2, "dur": 1, "tid": 1},
              {"name": "aten::mul", "ph": "X", "ts": 12, "dur": 2, "tid": 1},
              {"name": "autograd::engine::evaluate_function: AddmmBackward0", "ph": "X", "ts": 20, "dur": 30,
               "tid": 1},
              {"name": "aten::mm", "ph": "X", "ts": 21, "dur": 10, "tid": 1},
              {"name": "aten::sum", "ph": "X", "ts": 35, "dur": 10, "tid": 1},
              {"name": "aten::mul", "ph": "X", "ts": 5, "dur": 1, "tid": 2},
              {"name": "process_name", "ph": "M", "pid": 0, "args": {"name": "CPU"}}
            ]
            """;

    @Test
    void nestedEventsCountInTheirTopLevelCaller() throws IOException {
        OperatorProfile.Summary s = OperatorProfile.summarize(new StringReader(TRACE));
        assertThat(s.calls()).isEqualTo(4);
        assertThat(s.micros()).isEqualTo(10 + 2 + 30 + 1);
        assertThat(s.spanMicros()).isEqualTo(50);
        assertThat(s.rows()).extracting(OperatorProfile.Row::name).containsExactly(
                "autograd::engine::evaluate_function: AddmmBackward0", "aten::addmm", "aten::mul");
        assertThat(s.rows().get(2)).isEqualTo(new OperatorProfile.Row("aten::mul", 2, 3));
    }

    @Test
    void theObjectFormWithTraceEventsReadsTheSame() throws IOException {
        OperatorProfile.Summary s = OperatorProfile.summarize(new StringReader(
                "{\"schemaVersion\": 1, \"traceEvents\": " + TRACE + ", \"displayTimeUnit\": \"ms\"}"));
        assertThat(s.calls()).isEqualTo(4);
    }

    @Test
    void aTruncatedTraceIsAnError() {
        assertThatThrownBy(() -> OperatorProfile.summarize(new StringReader(TRACE.substring(0, 200))))
                .isInstanceOf(IOException.class);
    }
}
