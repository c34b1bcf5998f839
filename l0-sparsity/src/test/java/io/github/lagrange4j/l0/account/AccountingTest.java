package io.github.lagrange4j.l0.account;

import static io.github.lagrange4j.l0.GatedNets.range;
import static io.github.lagrange4j.l0.GatedNets.setLogAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Specification of density, pruned architecture and kept counts on hand-set log α (+3 kept, −3
 * dead; both conventions agree on these values).
 */
class AccountingTest {

    private static final float ON = 3f;
    private static final float OFF = -3f;
    private static final double P1 = HardConcrete.DEFAULT.probabilityNonZero(ON);
    private static final double P0 = HardConcrete.DEFAULT.probabilityNonZero(OFF);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private GatedNetwork mlp() {
        SequentialBlock block = GatedNets.mlp();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        return GatedNetwork.of(block);
    }

    private GatedNetwork lenet() {
        SequentialBlock block = GatedNets.lenet();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return GatedNetwork.of(block);
    }

    @Test
    void referenceArchitecturesHaveTheirPaperSizes() {
        GatedNetwork mlp = mlp();
        assertThat(mlp.gates()).isEqualTo(1184);
        assertThat(mlp.totalParameters()).isEqualTo(266_610);
        assertThat(mlp.sparsifiableParameters()).isEqualTo(266_200);
        assertThat(mlp.names()).containsExactly("01L0Linear", "03L0Linear", "05L0Linear");
        GatedNetwork lenet = lenet();
        assertThat(lenet.gates()).isEqualTo(1370);
        assertThat(lenet.totalParameters()).isEqualTo(431_080);
        assertThat(lenet.sparsifiableParameters()).isEqualTo(430_570);
        assertThat(lenet.totalMacs()).isEqualTo(2_293_000);
        assertThat(lenet.positionsPerChannel(2)).isEqualTo(16);
    }

    @Test
    void mlpPrunedArchitectureDensityAndKeptCounts() {
        GatedNetwork net = mlp();
        setLogAlpha(net.layers().get(0), OFF, ON, range(0, 198));
        setLogAlpha(net.layers().get(1), OFF, ON, range(0, 233));
        setLogAlpha(net.layers().get(2), OFF, ON, range(0, 100));
        NetworkAccount account = NetworkAccount.of(net);
        assertThat(account.prunedArchitecture()).isEqualTo("198-233-100");
        assertThat(account.keptParameters()).isEqualTo(198 * 233 + 233 + 233 * 100 + 100 + 100 * 10 + 10);
        assertThat(account.keptParameters()).isEqualTo(70_777);
        assertThat(account.keptMacs()).isEqualTo(70_434);
        assertThat(account.totalMacs()).isEqualTo(784 * 300 + 300 * 100 + 100 * 10);
        double active0 = (198 * P1 + 586 * P0) * 300;
        double active1 = (233 * P1 + 67 * P0) * 100;
        double active2 = 100 * P1 * 10;
        assertThat(account.layers().get(0).expectedDensity()).isCloseTo(active0 / 235_200, within(1e-6));
        assertThat(account.layers().get(1).expectedDensity()).isCloseTo(active1 / 30_000, within(1e-6));
        assertThat(account.layers().get(2).expectedDensity()).isCloseTo(active2 / 1_000, within(1e-6));
        assertThat(account.expectedDensity())
                .isCloseTo((active0 + active1 + active2) / 266_200, within(1e-6));
        try (NDManager m = manager.newSubManager()) {
            assertThat((double) ExpectedCost.density(net, m).getFloat())
                    .isCloseTo(account.expectedDensity(), within(1e-6));
            assertThat(ExpectedCost.layerDensities(net, m).toFloatArray()).hasSize(3);
        }
    }

    @Test
    void mlpDeadNextLayerInputsRemoveOutputRowsOfThePreviousLayer() {
        GatedNetwork net = mlp();
        setLogAlpha(net.layers().get(0), OFF, ON, range(0, 198));
        setLogAlpha(net.layers().get(1), OFF, ON, range(0, 233));
        setLogAlpha(net.layers().get(2), OFF, ON, range(10, 50));
        NetworkAccount account = NetworkAccount.of(net);
        assertThat(account.prunedArchitecture()).isEqualTo("198-233-40");
        assertThat(account.layers().get(0).keptParameters()).isEqualTo(198 * 233 + 233);
        assertThat(account.layers().get(1).keptParameters()).isEqualTo(233 * 40 + 40);
        assertThat(account.layers().get(2).keptParameters()).isEqualTo(40 * 10 + 10);
        assertThat(account.keptMacs()).isEqualTo(198 * 233 + 233 * 40 + 40 * 10);
    }

    /** LeNet with fc1 inputs alive in a dead conv2 channel (30) and alive channels (0, 5). */
    private GatedNetwork lenetWithCrossLayerDeadInputs() {
        GatedNetwork net = lenet();
        setLogAlpha(net.layers().get(0), OFF, ON, range(0, 20));
        setLogAlpha(net.layers().get(1), OFF, ON, range(0, 21));
        int[] fc1 = new int[34];
        System.arraycopy(range(0, 16), 0, fc1, 0, 16);
        System.arraycopy(range(30 * 16, 31 * 16), 0, fc1, 16, 16);
        fc1[32] = 5 * 16 + 3;
        fc1[33] = 5 * 16 + 9;
        setLogAlpha(net.layers().get(2), OFF, ON, fc1);
        setLogAlpha(net.layers().get(3), OFF, ON, range(0, 407));
        return net;
    }

    @Test
    void lenetIntersectsDenseInputsWithDeadConvChannels() {
        GatedNetwork net = lenetWithCrossLayerDeadInputs();
        NetworkAccount account = NetworkAccount.of(net);
        assertThat(account.prunedArchitecture()).isEqualTo("20-21-34-407");
        KeptMasks masks = KeptMasks.of(net);
        assertThat(KeptMasks.indices(masks.outputs().get(1))).containsExactly(0, 5);
        assertThat(KeptMasks.indices(masks.inputs().get(2))).hasSize(18);
        assertThat(account.layers().get(0).keptParameters()).isEqualTo(20 * (25 + 1));
        assertThat(account.layers().get(1).keptParameters()).isEqualTo(2 * (20 * 25 + 1));
        assertThat(account.layers().get(2).keptParameters()).isEqualTo(18 * 407 + 407);
        assertThat(account.layers().get(3).keptParameters()).isEqualTo(407 * 10 + 10);
        assertThat(account.keptParameters()).isEqualTo(13_335);
        assertThat(account.keptMacs()).isEqualTo(288_000 + 64_000 + 7_326 + 4_070);
        assertThat(account.keptParameterFraction()).isCloseTo(13_335.0 / 431_080, within(1e-12));
    }

    @Test
    void expectedMacsMultiplyKeepProbabilitiesOfNeighbouringGates() {
        GatedNetwork net = lenetWithCrossLayerDeadInputs();
        double conv1 = 20 * P1 * 1 * 25 * 576;
        double conv2 = (21 * P1 + 29 * P0) * (20 * P1) * 25 * 64;
        double fc1In = 18 * P1 * P1 + 16 * P1 * P0 + 318 * P0 * P1 + 448 * P0 * P0;
        double fc2In = 407 * P1 + 93 * P0;
        double expected = conv1 + conv2 + fc1In * fc2In + fc2In * 10;
        try (NDManager m = manager.newSubManager()) {
            double macs = ExpectedCost.macs(net, m).getFloat();
            assertThat(macs).isCloseTo(expected, within(expected * 1e-5));
        }
        assertThat(NetworkAccount.of(net).expectedMacs()).isCloseTo(expected, within(expected * 1e-5));
    }

    @Test
    void expectedDensityIsParameterWeightedWithConvBiasInItsGroup() {
        GatedNetwork net = lenetWithCrossLayerDeadInputs();
        double conv1 = 20 * P1 * 26;
        double conv2 = (21 * P1 + 29 * P0) * 501;
        double fc1 = (34 * P1 + 766 * P0) * 500;
        double fc2 = (407 * P1 + 93 * P0) * 10;
        NetworkAccount account = NetworkAccount.of(net);
        assertThat(account.expectedDensity())
                .isCloseTo((conv1 + conv2 + fc1 + fc2) / 430_570, within(1e-6));
        assertThat(account.layerDensities()[1]).isCloseTo(conv2 / 25_050, within(1e-6));
    }

    @Test
    void misconfiguredNetworksFailWithClearMessages() {
        assertThatThrownBy(() -> GatedNetwork.of(new SequentialBlock().add(Activation.reluBlock())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a gated network needs at least one gated layer, got 0");
        SequentialBlock uninitialised = GatedNets.mlp();
        assertThatThrownBy(() -> GatedNetwork.of(uninitialised))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gated layer 01L0Linear is not initialised");
        L0Linear a = L0Linear.builder().setUnits(4).build();
        L0Linear b = L0Linear.builder().setUnits(2).build();
        a.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
        assertThatThrownBy(() -> GatedNetwork.of(java.util.List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dense layer layer1 has 5 inputs, layer0 has 4 units");
        L0Conv2d c = L0Conv2d.builder().setFilters(3).setKernelShape(new Shape(3, 3)).build();
        c.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 8, 8));
        assertThatThrownBy(() -> GatedNetwork.of(java.util.List.<GatedLayer>of(a, c)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported layer order: convolution layer1 after dense layer layer0");
        assertThatThrownBy(() -> KeptMasks.of(GatedNetwork.of(java.util.List.of(a)), java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gates must have one array per gated layer (1), got 0");
    }
}
