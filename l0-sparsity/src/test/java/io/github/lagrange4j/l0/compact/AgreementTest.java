package io.github.lagrange4j.l0.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Agreement} on hand-computed logits. Reference: {@code W = [[1,0],[0,1],[0,0]]}, no bias; candidate:
 * the same with bias {@code (0, 0.25, 0)}. Inputs (1,0), (0,1), (0.5,0.4), (−1,−1) in two batches, labels
 * 0, 1, 1, 0: reference classes 0, 1, 0, 2 (2 correct), candidate 0, 1, 1, 2 (3 correct), 3 agree, and the
 * largest difference is exactly 0.25.
 */
class AgreementTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private SequentialBlock linear(float[] bias) {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        Linear l = (Linear) block.getChildren().get(0).getValue();
        l.getParameters().get("weight").getArray().set(new float[] {1, 0, 0, 1, 0, 0});
        l.getParameters().get("bias").getArray().set(bias);
        return block;
    }

    private List<NDArray[]> batches() {
        return List.of(
                new NDArray[] {manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)), manager.create(new float[] {0, 1})},
                new NDArray[] {manager.create(new float[] {0.5f, 0.4f, -1, -1}, new Shape(2, 2)),
                    manager.create(new float[] {1, 0})});
    }

    @Test
    void countsAgreementAndAccuracyOverAllBatches() {
        float shift = 0.25f;
        Agreement a = Agreement.measure(linear(new float[] {0, 0, 0}), linear(new float[] {0, shift, 0}), batches(),
                manager);
        assertThat(a.maxAbsDifference()).isEqualTo(0.25);
        assertThat(a.examples()).isEqualTo(4);
        assertThat(a.sameArgmax()).isEqualTo(3);
        assertThat(a.referenceCorrect()).isEqualTo(2);
        assertThat(a.candidateCorrect()).isEqualTo(3);
        assertThat(a.argmaxAgreement()).isEqualTo(0.75);
        assertThat(a.candidateAccuracy()).isEqualTo(0.75);
    }

    @Test
    void aNanOutputMakesTheDifferenceNanAndCountsAreValidated() {
        float bad = Float.NaN;
        Agreement a = Agreement.measure(linear(new float[] {0, 0, 0}), linear(new float[] {0, 0, bad}), batches(),
                manager);
        assertThat(a.maxAbsDifference()).isNaN();
        assertThatThrownBy(() -> new Agreement(0, 5, 0, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counts must be in [0, examples = 4], got sameArgmax 5, referenceCorrect 0, candidateCorrect 0");
    }
}
