package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.LayerAccount;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.models.ModelKind;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fixed mask of a MAC budget on the gated LeNet-5-Caffe (random log α, no training): it fills F = 0.10 of
 * the dense model's MACs under the compacted count, which is not 10% of the parameters, because the
 * convolutions hold most of the MACs and few of the parameters; the budget check certifies the MACs.
 */
class MacBudgetMaskTest {

    private static final RunSettings MACS = RunSettings.certified(ModelKind.LENET, Approach.CONSTRAINED)
            .withObjective(o -> o.withScope(ConstraintScope.MACS));

    private static GatedNetwork lenetWithRandomGates(NDManager manager, long seed) {
        Block block = ModelKind.LENET.build(true, false);
        block.initialize(manager, DataType.FLOAT32, ModelKind.LENET.inputShape(1));
        GatedNetwork network = GatedNetwork.of(block);
        Random random = new Random(seed);
        for (GatedLayer layer : network.layers()) {
            float[] v = new float[(int) layer.groupShape().gates()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (LogAlpha.MIN + random.nextDouble() * (LogAlpha.MAX - LogAlpha.MIN));
            }
            layer.logAlpha().getArray().set(FloatBuffer.wrap(v));
        }
        return network;
    }

    @Test
    void theMaskFillsTheMacBudgetWhichIsNotTheParameterBudget() {
        assertThat(MACS.objective().epsilons()).containsExactly(0.10);
        for (long seed = 1; seed <= 2; seed++) {
            try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
                GatedNetwork network = lenetWithRandomGates(manager, seed);
                FineTuner.fixMask(MACS, network);
                NetworkAccount account = NetworkAccount.of(network);

                double macs = (double) account.keptMacs() / account.totalMacs();
                System.out.printf("LeNet MAC budget 0.10, seed %d: pruned %s, kept %.2f%% of the MACs, %.2f%% of the"
                        + " parameters%n", seed, account.prunedArchitecture(), 100 * macs,
                        100 * account.keptParameterFraction());
                assertThat(account.totalMacs()).isEqualTo(20L * 25 * 24 * 24 + 50L * 20 * 25 * 8 * 8 + 800L * 500
                        + 500L * 10);
                assertThat(macs).as("kept MAC fraction, seed %s", seed).isBetween(0.09, 0.10);
                BudgetCheck check = BudgetCheck.of(MACS, account);
                assertThat(check.met()).isTrue();
                assertThat(check.entries()).singleElement().satisfies(e -> {
                    assertThat(e.scope()).isEqualTo("macs");
                    assertThat(e.keptFraction()).isEqualTo(macs);
                    assertThat(e.describe()).contains("of the MACs").endsWith(": met");
                });

                // the two convolutions hold most of the MACs and few of the parameters
                List<LayerAccount> layers = account.layers();
                long convMacs = layers.get(0).keptMacs() + layers.get(1).keptMacs();
                long convParameters = layers.get(0).keptParameters() + layers.get(1).keptParameters();
                assertThat((double) convMacs / account.keptMacs()).as("conv share of kept MACs").isGreaterThan(0.5);
                assertThat((double) convParameters / account.keptParameters()).as("conv share of kept parameters")
                        .isLessThan(0.5);
                assertThat(Math.abs(account.keptParameterFraction() - macs)).as("kept parameters %s vs MACs %s",
                        account.keptParameterFraction(), macs).isGreaterThan(0.01);
            }
        }
    }
}
