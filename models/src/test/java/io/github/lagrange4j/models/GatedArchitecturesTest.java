package io.github.lagrange4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import org.junit.jupiter.api.Test;

/** The gated models have the gates, parameters and MACs of Louizos et al. (ICLR 2018), section 4.1. */
class GatedArchitecturesTest {

    @Test
    void gatedMlpHas1184GatesOver266610ParametersAndKeepsAllUnitsAtInit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block mlp = GatedMlp.build();
            mlp.initialize(manager, DataType.FLOAT32, new Shape(2, 784));
            GatedNetwork net = GatedNetwork.of(mlp);
            assertThat(net.size()).isEqualTo(3);
            assertThat(net.gates()).isEqualTo(784 + 300 + 100);
            assertThat(net.totalParameters()).isEqualTo(266_610L);
            // biases of dense layers are not sparsifiable: 266,610 - (300 + 100 + 10)
            assertThat(net.sparsifiableParameters()).isEqualTo(266_200L);
            // at init log alpha ~ 1.386 (d = 0.2) and 0 (d = 0.5): Eq. 13 keeps every gate open
            assertThat(NetworkAccount.of(net).prunedArchitecture()).isEqualTo("784-300-100");
            var out = mlp.forward(new ParameterStore(manager, false),
                    new NDList(manager.ones(new Shape(3, 1, 28, 28))), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(3, 10));
        }
    }

    @Test
    void gatedLeNetHas1370GatesOver431080ParametersAnd2293000Macs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block lenet = GatedLeNet5.build();
            lenet.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            GatedNetwork net = GatedNetwork.of(lenet);
            assertThat(net.size()).isEqualTo(4);
            assertThat(net.gates()).isEqualTo(20 + 50 + 800 + 500);
            assertThat(net.totalParameters()).isEqualTo(431_080L);
            assertThat(net.totalMacs()).isEqualTo(2_293_000L);
            assertThat(NetworkAccount.of(net).prunedArchitecture()).isEqualTo("20-50-800-500");
        }
    }
}
