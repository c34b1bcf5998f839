package io.github.lagrange4j.l0;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** The reference gated architectures of Louizos et al. (ICLR 2018), section 4.1, built from this module's blocks. */
public final class GatedNets {

    private GatedNets() {}

    /**
     * The gated MLP 784-300-100-10 (input gates at drop rate 0.2, others 0.5).
     *
     * @return an uninitialised block taking (batch, 784)
     */
    public static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(L0Linear.builder().setUnits(300).optDroprate(0.2).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(100).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).build());
    }

    /**
     * The gated LeNet-5-Caffe 20-50-800-500.
     *
     * @return an uninitialised block taking (batch, 1, 28, 28)
     */
    public static SequentialBlock lenet() {
        return new SequentialBlock()
                .add(L0Conv2d.builder().setFilters(20).setKernelShape(new Shape(5, 5)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(L0Conv2d.builder().setFilters(50).setKernelShape(new Shape(5, 5)).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(L0Linear.builder().setUnits(500).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(10).build());
    }

    /**
     * Overwrites a gated layer's log α with one value for all gates and another for listed gates.
     *
     * @param layer the initialised layer
     * @param rest the value of the gates not listed
     * @param value the value of the listed gates
     * @param gates the listed gate indices
     */
    public static void setLogAlpha(GatedLayer layer, float rest, float value, int... gates) {
        NDArray la = layer.logAlpha().getArray();
        float[] v = new float[(int) la.size()];
        Arrays.fill(v, rest);
        for (int g : gates) {
            v[g] = value;
        }
        la.set(FloatBuffer.wrap(v));
    }

    /**
     * Returns the integers {@code from, from + 1, …, to − 1}.
     *
     * @param from first
     * @param to end, exclusive
     * @return the range
     */
    public static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
