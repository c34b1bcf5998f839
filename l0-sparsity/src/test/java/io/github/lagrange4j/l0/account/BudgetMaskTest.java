package io.github.lagrange4j.l0.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The budget-filling mask on hand-made networks whose greedy fill is worked out by hand (in the comments),
 * and on the reference MLP and LeNet-5-Caffe with random gates, where the kept fraction must land in
 * {@code [ε − 0.01, ε]}.
 */
class BudgetMaskTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static void set(GatedLayer layer, float... values) {
        layer.logAlpha().getArray().set(FloatBuffer.wrap(values));
    }

    /**
     * Dense 4 → 3 → 2: a = kept layer-0 gates, b = kept layer-1 gates; kept parameters {@code ab + b} +
     * {@code 2b + 2}, 23 in all; kept MACs {@code ab + 2b}, 18 in all. Ranking: L0#0 (3), L1#0 (2.5),
     * L0#1 (2), L1#2 (1), L0#3 (0.5), L0#2 (−1), L1#1 (−2).
     */
    private GatedNetwork smallMlp() {
        return GatedNetwork.of(smallMlpBlock());
    }

    private SequentialBlock smallMlpBlock() {
        SequentialBlock block = new SequentialBlock()
                .add(L0Linear.builder().setUnits(3).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(2).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        GatedNetwork net = GatedNetwork.of(block);
        set(net.layers().get(0), 3f, 2f, -1f, 0.5f);
        set(net.layers().get(1), 2.5f, -2f, 1f);
        return block;
    }

    @Test
    void modelWiseFillSkipsAGateThatDoesNotFitAndTakesCheaperOnes() {
        GatedNetwork net = smallMlp();
        // budget 0.5 · 23 = 11.5: (1,0) 2, (1,1) 6, (2,1) 7, L1#2 → (2,2) 12 skipped, L0#3 → (3,1) 8,
        // L0#2 → (4,1) 9, L1#1 → (4,2) 16 skipped
        List<boolean[]> keep = BudgetMask.modelWise(net, 0.5);
        assertThat(keep.get(0)).containsExactly(true, true, true, true);
        assertThat(keep.get(1)).containsExactly(true, false, false);
        assertThat(KeptMasks.of(net, keep).keptParameters(net)).isEqualTo(9);
        assertThat(BudgetMask.modelWise(net, 1.0).get(1)).containsExactly(true, true, true);
        // below the bias of the last layer (2 / 23) nothing fits but the empty mask
        assertThat(BudgetMask.modelWise(net, 0.05).get(0)).containsExactly(false, false, false, false);
    }

    @Test
    void layerWiseFillBoundsEveryLayer() {
        GatedNetwork net = smallMlp();
        // layer 0 ≤ 0.3 · 15 = 4.5 (ab + b), layer 1 ≤ 8: (1,1) 2, (2,1) 3, (2,2) 6 skipped, (3,1) 4,
        // (4,1) 5 skipped, (3,2) 8 skipped
        List<boolean[]> keep = BudgetMask.layerWise(net, new double[] {0.3, 1.0});
        assertThat(keep.get(0)).containsExactly(true, true, false, true);
        assertThat(keep.get(1)).containsExactly(true, false, false);
        assertThatThrownBy(() -> BudgetMask.layerWise(net, new double[] {0.3}))
                .hasMessageContaining("epsilons must have one bound per gated layer (2), got 1");
    }

    @Test
    void macFillCountsMultiplyAccumulates() {
        GatedNetwork net = smallMlp();
        // budget 0.5 · 18 = 9: (1,1) 3, (2,1) 4, (2,2) 8, (3,2) 10 skipped twice, (2,3) 12 skipped
        List<boolean[]> keep = BudgetMask.macs(net, 0.5);
        assertThat(keep.get(0)).containsExactly(true, true, false, false);
        assertThat(keep.get(1)).containsExactly(true, false, true);
        assertThat(KeptMasks.of(net, keep).keptMacs(net)).isEqualTo(8);
    }

    @Test
    void denseInputsOfADeadChannelCostNothingUntilTheChannelLives() {
        // conv 1 → 2 channels (1x1) on 2x2 images, flatten (2·4 = 8), dense 8 → 3.
        // Parameters: conv 2 per kept channel, dense 3 per alive input + 3; 31 in all.
        SequentialBlock block = new SequentialBlock()
                .add(L0Conv2d.builder().setFilters(2).setKernelShape(new Shape(1, 1)).build())
                .add(Blocks.batchFlattenBlock())
                .add(L0Linear.builder().setUnits(3).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2));
        GatedNetwork net = GatedNetwork.of(block);
        set(net.layers().get(0), -1f, 3f);
        set(net.layers().get(1), 4f, 3.9f, 3.8f, 3.7f, 0.5f, 0.4f, 0.3f, 0.2f);
        // budget 0.5 · 31 = 15.5: d0..d3 are free (channel 0 dead), c1 is free (no alive input yet),
        // d4 8, d5 11, d6 14, d7 17 skipped, c0 would revive d0..d3 (28) skipped
        List<boolean[]> keep = BudgetMask.modelWise(net, 0.5);
        assertThat(keep.get(0)).containsExactly(false, true);
        assertThat(keep.get(1)).containsExactly(true, true, true, true, true, true, true, false);
        assertThat(KeptMasks.of(net, keep).keptParameters(net)).isEqualTo(14);
        FixedMask.apply(net, keep);
        NetworkAccount account = NetworkAccount.of(net);
        assertThat(account.keptParameters()).isEqualTo(14);
        assertThat(account.prunedArchitecture()).isEqualTo("1-7");
    }

    @Test
    void fixedMaskSaturatesTheGatesAndKeepsTheInferenceFunctionOfTheGatesThatWereOn() {
        // median gates: L0 (1, 1, 0.118, 0.715), L1 (1, 0, 0.881), three of them fractional
        SequentialBlock block = smallMlpBlock();
        GatedNetwork net = GatedNetwork.of(block);
        NDArray x = manager.randomNormal(new Shape(5, 4));
        ParameterStore store = new ParameterStore(manager, false);
        List<boolean[]> before = FixedMask.of(net);
        float[] expected = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        FixedMask.apply(net, before);
        float[] actual = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
        }
        float max = (float) LogAlpha.MAX;
        float min = (float) LogAlpha.MIN;
        assertThat(net.layers().get(0).logAlpha().getArray().toFloatArray()).containsExactly(max, max, max, max);
        assertThat(net.layers().get(1).logAlpha().getArray().toFloatArray()).containsExactly(max, min, max);
        assertThat(net.layers().get(1).deterministicGates(manager).toFloatArray()).containsExactly(1f, 0f, 1f);
        assertThat(FixedMask.of(net).get(1)).containsExactly(before.get(1));
    }

    private static void randomGates(GatedNetwork net, long seed) {
        Random random = new Random(seed);
        for (GatedLayer layer : net.layers()) {
            float[] v = new float[(int) layer.groupShape().gates()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (LogAlpha.MIN + random.nextDouble() * (LogAlpha.MAX - LogAlpha.MIN));
            }
            set(layer, v);
        }
    }

    private GatedNetwork initialised(SequentialBlock block, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        return GatedNetwork.of(block);
    }

    @Test
    void referenceArchitecturesLandWithinOnePointBelowTheBudget() {
        GatedNetwork mlp = initialised(GatedNets.mlp(), new Shape(1, 784));
        GatedNetwork lenet = initialised(GatedNets.lenet(), new Shape(1, 1, 28, 28));
        for (long seed = 1; seed <= 2; seed++) {
            randomGates(mlp, seed);
            randomGates(lenet, seed);
            for (double eps : new double[] {0.33, 0.20, 0.05}) {
                double kept = (double) KeptMasks.of(mlp, BudgetMask.modelWise(mlp, eps)).keptParameters(mlp)
                        / mlp.totalParameters();
                assertThat(kept).as("MLP eps %s seed %s", eps, seed).isBetween(eps - 0.01, eps);
            }
            for (double eps : new double[] {0.10, 0.02}) {
                double kept = (double) KeptMasks.of(lenet, BudgetMask.modelWise(lenet, eps))
                        .keptParameters(lenet) / lenet.totalParameters();
                assertThat(kept).as("LeNet eps %s seed %s", eps, seed).isBetween(eps - 0.01, eps);
            }
            double macs = (double) KeptMasks.of(lenet, BudgetMask.macs(lenet, 0.10)).keptMacs(lenet)
                    / lenet.totalMacs();
            assertThat(macs).as("LeNet MACs seed %s", seed).isBetween(0.09, 0.10);
        }
        // the fixed model's own accounting (what export certifies) agrees
        List<boolean[]> keep = BudgetMask.modelWise(lenet, 0.10);
        FixedMask.apply(lenet, keep);
        double deployed = NetworkAccount.of(lenet).keptParameterFraction();
        assertThat(deployed).isBetween(0.09, 0.10);
        assertThat(BudgetMask.modelWise(lenet, 0.10)).containsExactlyElementsOf(keep);
    }

    /**
     * Layer-wise budgets are coupled (a hidden unit is an output of one layer and an input of the next), so
     * the fill cannot bring every layer to its ε at once: each layer is at most its ε, and the mask is
     * maximal: no gate left out can be switched on without breaking some layer's budget.
     */
    @Test
    void layerWiseBudgetsOfTheMlpHoldInEveryLayerAndTheMaskIsMaximal() {
        GatedNetwork mlp = initialised(GatedNets.mlp(), new Shape(1, 784));
        randomGates(mlp, 3);
        double[] eps = {0.3, 0.3, 0.3};
        List<boolean[]> keep = BudgetMask.layerWise(mlp, eps);
        KeptMasks masks = KeptMasks.of(mlp, keep);
        double best = 0;
        for (int k = 0; k < 3; k++) {
            double kept = (double) masks.keptParameters(mlp, k) / mlp.layers().get(k).groupShape().totalParameters();
            assertThat(kept).as("layer %s", k).isLessThanOrEqualTo(eps[k]);
            best = Math.max(best, kept / eps[k]);
        }
        assertThat(best).isGreaterThan(0.29 / 0.3);
        for (int k = 0; k < 3; k++) {
            boolean[] layer = keep.get(k);
            for (int i = 0; i < layer.length; i++) {
                if (layer[i]) {
                    continue;
                }
                layer[i] = true;
                KeptMasks more = KeptMasks.of(mlp, keep);
                boolean fits = true;
                for (int j = 0; j < 3; j++) {
                    fits &= (double) more.keptParameters(mlp, j) / mlp.layers().get(j).groupShape().totalParameters()
                            <= eps[j];
                }
                assertThat(fits).as("gate %s of layer %s", i, k).isFalse();
                layer[i] = false;
            }
        }
    }

    @Test
    void badBudgetsAreRefusedByName() {
        GatedNetwork net = smallMlp();
        assertThatThrownBy(() -> BudgetMask.modelWise(net, 1.5)).hasMessage("epsilon must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> BudgetMask.macs(net, -0.1)).hasMessage("fraction must be in [0, 1], got -0.1");
        assertThatThrownBy(() -> FixedMask.apply(net, List.of(new boolean[4])))
                .hasMessageContaining("keep must have one array per gated layer (2), got 1");
    }
}
