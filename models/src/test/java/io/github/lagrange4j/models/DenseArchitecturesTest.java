package io.github.lagrange4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** The dense baselines have exactly the shapes and parameter counts of Louizos et al. (ICLR 2018), section 4.1. */
class DenseArchitecturesTest {

    private static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Test
    void mlpHas266610ParametersAndTenLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block mlp = Mlp.dense();
            mlp.initialize(manager, DataType.FLOAT32, new Shape(2, 784));
            assertThat(parameterCount(mlp)).isEqualTo(266_610L);
            NDArray out = mlp.forward(new ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.ones(new Shape(2, 1, 28, 28))), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 10));
        }
    }

    @Test
    void leNetHas431080ParametersAndTenLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block lenet = LeNet5.dense();
            lenet.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            assertThat(parameterCount(lenet)).isEqualTo(431_080L);
            NDArray out = lenet.forward(new ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.ones(new Shape(2, 1, 28, 28))), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 10));
        }
    }
}
