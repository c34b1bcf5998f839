package io.github.lagrange4j.l0.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction keeps the gated model's inference outputs (within 1e-5) and has exactly the reported
 * kept parameter count. Log α is drawn uniformly in [−4.6, 4.6], so many gates are dead, many are
 * exactly 1 and some are fractional (folded into the weights).
 */
class CompactionTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static void randomLogAlpha(GatedNetwork network, long seed) {
        Random random = new Random(seed);
        for (GatedLayer layer : network.layers()) {
            NDArray la = layer.logAlpha().getArray();
            float[] v = new float[(int) la.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextDouble() * 9.2 - 4.6);
            }
            la.set(FloatBuffer.wrap(v));
        }
    }

    private static float maxAbsDifference(SequentialBlock a, SequentialBlock b, NDArray x) {
        NDManager m = x.getManager();
        NDArray ya = a.forward(new ParameterStore(m, false), new NDList(x), false).head();
        NDArray yb = b.forward(new ParameterStore(m, false), new NDList(x), false).head();
        assertThat(yb.getShape()).isEqualTo(ya.getShape());
        return ya.sub(yb).abs().max().getFloat();
    }

    @Test
    void compactedMlpMatchesGatedInferenceAndKeptCount() {
        Engine.getInstance().setRandomSeed(1);
        SequentialBlock gated = GatedNets.mlp();
        gated.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        GatedNetwork network = GatedNetwork.of(gated);
        randomLogAlpha(network, 42);
        NetworkAccount account = NetworkAccount.of(network);
        CompactedModel compact = Compaction.compact(gated, manager);
        assertThat(compact.parameterCount()).isEqualTo(account.keptParameters());
        assertThat(compact.parameterCount()).isLessThan(account.totalParameters() / 2);
        NDArray x = manager.randomUniform(0f, 1f, new Shape(32, 784));
        assertThat(maxAbsDifference(gated, compact.block(), x)).isLessThan(1e-5f);
        Linear first = (Linear) compact.block().getChildren().get(1).getValue();
        assertThat(first.getParameters().get("weight").getArray().getShape())
                .isEqualTo(new Shape(compact.keptOutputs().get(0), account.layers().get(0).keptGates()));
    }

    @Test
    void compactedModelSavesAndLoadsAsAnOrdinaryDjlModel(@TempDir Path dir)
            throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(3);
        SequentialBlock gated = GatedNets.lenet();
        gated.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        randomLogAlpha(GatedNetwork.of(gated), 11);
        NDArray x = manager.randomNormal(new Shape(4, 1, 28, 28));
        List<Long> kept;
        float[] expected;
        try (Model model = Model.newInstance("compact-lenet", "PyTorch")) {
            CompactedModel compact = Compaction.compact(gated, model.getNDManager());
            kept = compact.keptOutputs();
            model.setBlock(compact.block());
            expected = compact.block().forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            model.save(dir, "compact-lenet");
        }
        try (Model model = Model.newInstance("compact-lenet", "PyTorch")) {
            SequentialBlock skeleton = Compaction.skeleton(GatedNets.lenet(), kept);
            model.setBlock(skeleton);
            model.load(dir, "compact-lenet");
            float[] actual = skeleton.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            assertThat(actual).containsExactly(expected);
        }
    }

    @Test
    void unsupportedModelsFailWithClearMessages() {
        SequentialBlock withPlainLinear =
                new SequentialBlock().add(L0Linear.builder().setUnits(4).build()).add(Linear.builder().setUnits(2).build());
        withPlainLinear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        assertThatThrownBy(() -> Compaction.compact(withPlainLinear, manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot compact child 02Linear: only L0Linear, L0Conv2d and parameter-free blocks are supported");
        SequentialBlock dead = GatedNets.mlp();
        dead.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        GatedNets.setLogAlpha((GatedLayer) dead.getChildren().get(2).getValue(), -4f, -4f);
        assertThatThrownBy(() -> Compaction.compact(dead, manager))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("gated layer 01L0Linear keeps no output: the compacted network would be constant");
        assertThatThrownBy(() -> Compaction.skeleton(GatedNets.mlp(), List.of(10L, 5L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keptOutputs has 2 entries, fewer than the gated layers");
    }
}
