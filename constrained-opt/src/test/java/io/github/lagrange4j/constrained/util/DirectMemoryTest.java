package io.github.lagrange4j.constrained.util;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A view of an array's memory is kept only when writes through it reach the array: the single-pass Adam update
 * writes parameters and moments through such views, and a copy would silently lose the update.
 */
class DirectMemoryTest {

    @Test
    void aContiguousFloatArrayOnPyTorchIsWrittenThroughItsView() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.arange(6f).reshape(2, 3);
            ByteBuffer view = DirectMemory.of(a);
            assertThat(view).isNotNull();
            // verifying left the array as it was
            assertThat(a.toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
            view.putFloat(4 * Float.BYTES, -7.5f);
            assertThat(a.getFloat(1, 1)).isEqualTo(-7.5f);
        }
    }

    @Test
    void aStridedArrayHasNoViewBecauseTheEngineHandsOutACopy() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray columnMajor = m.arange(6f).reshape(2, 3).transpose();
            assertThat(DirectMemory.of(columnMajor)).isNull();
            assertThat(columnMajor.toFloatArray()).containsExactly(0f, 3f, 1f, 4f, 2f, 5f);
        }
    }

    @Test
    void aCopyIsNotTheMemoryOfTheArrayItWasCopiedFrom() {
        // as a gradient that DJL's Trainer.step copied, or a parameter server summed, is not the parameter's own
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray own = m.arange(6f);
            NDArray copy = own.duplicate();
            assertThat(DirectMemory.of(copy)).isNotNull();
            assertThat(DirectMemory.of(copy, own)).isNull();
            assertThat(DirectMemory.of(own, own)).isNotNull();
            assertThat(own.toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
        }
    }

    @Test
    void twoHandlesOfOneGradientShareTheirMemory() {
        // how the optimizer finds that the gradient it was handed is the parameter's own: each getGradient() is
        // a new handle of the same memory
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = m.arange(6f).reshape(2, 3);
            w.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch")
                    .newGradientCollector()) {
                gc.backward(w.mul(w).sum());
            }
            try (NDArray handed = w.getGradient(); NDArray own = w.getGradient()) {
                ByteBuffer view = DirectMemory.of(handed, own);
                assertThat(view).isNotNull();
                assertThat(own.toFloatArray()).containsExactly(0f, 2f, 4f, 6f, 8f, 10f);
                view.putFloat(0, 0f);
                view.putFloat(5 * Float.BYTES, 0f);
                assertThat(w.getGradient().toFloatArray()).containsExactly(0f, 2f, 4f, 6f, 8f, 0f);
            }
        }
    }

    @Test
    void aStridedOwnerIsReadThroughACopyAndSoNeverConfirmsAView() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray square = m.arange(4f).reshape(2, 2);
            assertThat(DirectMemory.of(square, square.transpose())).isNull();
            assertThat(DirectMemory.of(square.transpose(), square)).isNull();
            assertThat(DirectMemory.of(square, square.reshape(2, 2))).isNotNull();
            assertThat(square.toFloatArray()).containsExactly(0f, 1f, 2f, 3f);
        }
    }

    @Test
    void otherTypesAndEmptyArraysHaveNoView() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertThat(DirectMemory.of(m.ones(new Shape(4), DataType.FLOAT64))).isNull();
            assertThat(DirectMemory.of(m.zeros(new Shape(0)))).isNull();
        }
    }
}
