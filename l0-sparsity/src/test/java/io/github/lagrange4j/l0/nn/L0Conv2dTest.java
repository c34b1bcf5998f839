package io.github.lagrange4j.l0.nn;

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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.gate.GateSampling;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.gate.TestTimeGate;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Specification of the convolution gated on its output channels. */
class L0Conv2dTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private L0Conv2d conv(L0Conv2d.Builder builder) {
        L0Conv2d layer = builder.build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 9, 9));
        layer.bias().getArray().set(java.nio.FloatBuffer.wrap(new float[] {0.5f, -0.5f, 1f, 2f}));
        return layer;
    }

    private static L0Conv2d.Builder fourFilters() {
        return L0Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1));
    }

    @Test
    void parametersAndGroupsFollowTheChannels() {
        L0Conv2d layer = conv(fourFilters().optStride(new Shape(2, 2)));
        assertThat(layer.weight().getArray().getShape()).isEqualTo(new Shape(4, 3, 3, 3));
        assertThat(layer.logAlpha().getArray().getShape()).isEqualTo(new Shape(4));
        assertThat(layer.groupShape()).isEqualTo(new GroupShape(4, 3 * 9 + 1, 0));
        assertThat(layer.getOutputShapes(new Shape[] {new Shape(2, 3, 9, 9)})[0]).isEqualTo(new Shape(2, 4, 5, 5));
    }

    @ParameterizedTest
    @EnumSource(TestTimeGate.class)
    void inferenceScalesFiltersAndBiasesByTheDeterministicGate(TestTimeGate convention) {
        L0Conv2d layer = conv(fourFilters().optTestTimeGate(convention));
        float[] logAlpha = {-5f, -1f, 0.5f, 5f};
        layer.logAlpha().getArray().set(java.nio.FloatBuffer.wrap(logAlpha));
        NDArray x = manager.randomNormal(new Shape(2, 3, 9, 9));
        NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), false).head();
        NDArray plain = Conv2d.conv2d(x, layer.weight().getArray(), layer.bias().getArray(),
                new Shape(1, 1), new Shape(1, 1)).head();
        for (int c = 0; c < 4; c++) {
            double z = HardConcrete.DEFAULT.deterministic(logAlpha[c], convention);
            NDArray expected = plain.get(":, {}", c).mul((float) z);
            assertThat(y.get(":, {}", c).sub(expected).abs().max().getFloat()).isLessThan(1e-5f);
        }
        assertThat(y.get(":, 0").abs().max().getFloat()).as("dead channel incl. bias").isEqualTo(0f);
    }

    @Test
    void trainingSampleGatesWholeChannelsPerBatchAndPerExample() {
        L0Conv2d perBatch = conv(fourFilters());
        L0Conv2d perExample = conv(fourFilters().optSampling(GateSampling.PER_EXAMPLE));
        NDArray x = manager.randomNormal(new Shape(1, 3, 9, 9)).repeat(0, 6);
        Engine.getInstance().setRandomSeed(3);
        NDArray yb = perBatch.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        NDArray ye = perExample.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        assertThat(yb.sub(yb.get("0:1")).abs().max().getFloat()).isEqualTo(0f);
        assertThat(ye.sub(ye.get("0:1")).abs().max().getFloat()).isGreaterThan(1e-3f);
        Engine.getInstance().setRandomSeed(3);
        NDArray z = HardConcrete.DEFAULT.sample(perBatch.logAlpha().getArray(), manager, new Shape(4));
        NDArray plain = Conv2d.conv2d(x, perBatch.weight().getArray(), perBatch.bias().getArray(),
                new Shape(1, 1), new Shape(1, 1)).head();
        NDArray expected = plain.mul(z.reshape(1, 4, 1, 1));
        assertThat(yb.sub(expected).abs().max().getFloat()).isLessThan(1e-5f);
    }

    @Test
    void lenetSavesAndLoadsWithItsGates(@TempDir Path dir) throws IOException, MalformedModelException {
        NDArray x = manager.randomNormal(new Shape(2, 1, 28, 28));
        float[] before;
        try (Model model = Model.newInstance("gated-lenet", "PyTorch")) {
            SequentialBlock block = GatedNets.lenet();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            GatedNets.setLogAlpha((GatedLayer) block.getChildren().get(0).getValue(), 3f, -3f, 0, 7);
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            model.save(dir, "gated-lenet");
        }
        try (Model model = Model.newInstance("gated-lenet", "PyTorch")) {
            SequentialBlock block = GatedNets.lenet();
            model.setBlock(block);
            model.load(dir, "gated-lenet");
            float[] after = block.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
            assertThat(after).containsExactly(before);
            L0Conv2d conv1 = (L0Conv2d) block.getChildren().get(0).getValue();
            assertThat(conv1.keptGates()[0]).isFalse();
            assertThat(conv1.keptGates()[1]).isTrue();
            assertThat(LogAlpha.gateParameters(block)).hasSize(4);
        }
    }

    /** Saves an initialised block's parameters (DJL's format: version byte, metadata, parameters). */
    private static byte[] saved(L0Conv2d conv) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            conv.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static L0Conv2d loaded(byte[] bytes, NDManager manager) throws IOException, MalformedModelException {
        L0Conv2d conv = fourFilters().build();
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            conv.loadParameters(manager, in);
        }
        return conv;
    }

    @Test
    void theFilterCountIsSavedAsALongLikeTheUnitsAndVersion1WithAnIntStillLoads() throws Exception {
        L0Conv2d conv = fourFilters().build();
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8));
        byte[] v2 = saved(conv);
        // version 2: filters (long 4) then input channels (long 3), like L0Linear's units and features
        byte[] counts = java.nio.ByteBuffer.allocate(16).putLong(4).putLong(3).array();
        int at = indexOf(v2, counts);
        assertThat(v2[0]).isEqualTo((byte) 2);
        assertThat(at).isPositive();
        // the same block as version 1 wrote it: filters as an int
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        v1.write(1);
        v1.write(v2, 1, at - 1);
        v1.write(java.nio.ByteBuffer.allocate(4).putInt(4).array());
        v1.write(v2, at + 8, v2.length - at - 8);

        for (byte[] bytes : new byte[][] {v2, v1.toByteArray()}) {
            L0Conv2d back = loaded(bytes, manager);
            assertThat(back.inputChannels()).isEqualTo(3);
            assertThat(back.weight().getArray().toFloatArray()).containsExactly(conv.weight().getArray().toFloatArray());
            assertThat(back.logAlpha().getArray().toFloatArray())
                    .containsExactly(conv.logAlpha().getArray().toFloatArray());
        }
        byte[] v3 = v2.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> loaded(v3, manager)).isInstanceOf(MalformedModelException.class)
                .hasMessage("Unsupported L0Conv2d encoding version: 3");
        L0Conv2d five = L0Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)).build();
        assertThatThrownBy(() -> {
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(v2))) {
                five.loadParameters(manager, in);
            }
        }).isInstanceOf(MalformedModelException.class).hasMessage("Saved L0Conv2d has 4 filters, this block has 5");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void invalidShapesFailWithTheirRange() {
        assertThatThrownBy(() -> L0Conv2d.builder().setFilters(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernelShape must be a 2-D shape with entries >= 1, got null");
        assertThatThrownBy(() -> L0Conv2d.builder().setFilters(0).setKernelShape(new Shape(3, 3)).build())
                .hasMessage("filters must be >= 1, got 0");
        assertThatThrownBy(() -> fourFilters().optStride(new Shape(0, 1)).build())
                .hasMessage("stride must be a 2-D shape with entries >= 1, got (0, 1)");
    }
}
