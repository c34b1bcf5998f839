package io.github.lagrange4j.constrained.dual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The dual state hands out no array: copies in, copies out, element writes only by its optimizer. */
class DualOptimizerStateTest {

    @Test
    void ofCopiesItsArgumentsAndAccessorsReturnCopies() {
        double[][] buffers = {{1, 2}};
        long[] steps = {3, 4};
        DualOptimizerState s = DualOptimizerState.of(buffers, steps);
        buffers[0][0] = 99;
        steps[0] = 99;
        assertThat(s.value(0, 0)).isEqualTo(1.0);
        assertThat(s.stepCount(0)).isEqualTo(3);

        s.copyOfBuffers()[0][1] = 99;
        s.copyOfSteps()[1] = 99;
        assertThat(s.value(0, 1)).isEqualTo(2.0);
        assertThat(s.stepCount(1)).isEqualTo(4);
    }

    @Test
    void copyIsASnapshotThatLaterUpdatesDoNotChange() {
        DualSgd sgd = new DualSgd(0.5, 0.9);
        DualOptimizerState live = sgd.init(1);
        sgd.increments(live, new int[] {0}, new double[] {1});
        DualOptimizerState snapshot = live.copy();
        sgd.increments(live, new int[] {0}, new double[] {1});
        assertThat(snapshot.value(0, 0)).isEqualTo(1.0);
        assertThat(snapshot.stepCount(0)).isEqualTo(1);
        assertThat(live.value(0, 0)).isEqualTo(1.9);
        assertThat(live.stepCount(0)).isEqualTo(2);
        assertThat(snapshot).isNotEqualTo(live);
        live.load(snapshot);
        assertThat(live).isEqualTo(snapshot);
    }

    @Test
    void optimisticStateKeepsTheInnerStateInFrontAndWritesThroughTheView() {
        OptimisticDual optimistic = new OptimisticDual(DualAdam.of(0.1), OptimismSchedule.constant(0.5));
        DualOptimizerState s = optimistic.init(2);
        optimistic.increments(s, new int[] {1}, new double[] {2});
        // Adam's first moment (buffer 0) and the count were advanced through the inner view; buffer 2 holds d_{t-1}
        assertThat(s.value(0, 1)).isEqualTo((1 - 0.9) * 3.0); // d' = (1 + 0.5) * 2 - 0.5 * 0 = 3
        assertThat(s.stepCount(1)).isEqualTo(1);
        assertThat(s.value(2, 1)).isEqualTo(2.0);
        assertThat(s.stepCount(0)).isZero();
    }

    @Test
    void rejectsBuffersOfTheWrongLengthAndLoadsOfAnotherShape() {
        assertThatThrownBy(() -> DualOptimizerState.of(new double[][] {{1}}, new long[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every buffer must have 2 entries, got 1");
        assertThatThrownBy(() -> DualOptimizerState.zeros(1, 2).load(DualOptimizerState.zeros(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dual state shape mismatch: expected 1x2, got 2x2");
    }
}
