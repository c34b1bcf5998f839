package io.github.lagrange4j.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.l0.nn.L0Conv2d;
import io.github.lagrange4j.l0.nn.L0Linear;

/**
 * The L0-gated LeNet-5-Caffe 20-50-800-500 of Louizos et al. (2018), Section 4.1.
 *
 * <p>Two gated convolutions (gated on their 20 and 50 output channels, bias in the channel group) and two
 * gated dense layers (gated on their 800 and 500 inputs): 1,370 gates, 431,080 parameters, 2,293,000
 * multiply-accumulates per example. Same layer order as {@link LeNet5}; all gates start at drop rate 0.5.
 */
public final class GatedLeNet5 {

    /** Drop rate d of every gate at initialisation. */
    public static final double DROPRATE = 0.5;

    private GatedLeNet5() {}

    /**
     * Builds an uninitialised gated LeNet-5-Caffe without weight rescaling.
     *
     * @return a new block taking {@code (B, 1, 28, 28)}
     */
    public static SequentialBlock build() {
        return build(false);
    }

    /**
     * Builds an uninitialised gated LeNet-5-Caffe.
     *
     * @param rescaleWeights whether initial weights are divided by (1 − d), as the NeurIPS 2022 code does
     * @return a new block taking {@code (B, 1, 28, 28)}
     */
    public static SequentialBlock build(boolean rescaleWeights) {
        Shape kernel = new Shape(LeNet5.KERNEL, LeNet5.KERNEL);
        return new SequentialBlock()
                .add(L0Conv2d.builder().setFilters(LeNet5.CONV_CHANNELS[0]).setKernelShape(kernel)
                        .optDroprate(DROPRATE).optRescaleWeights(rescaleWeights).build())
                .add(MaxPool2x2.block())
                .add(Activation.reluBlock())
                .add(L0Conv2d.builder().setFilters(LeNet5.CONV_CHANNELS[1]).setKernelShape(kernel)
                        .optDroprate(DROPRATE).optRescaleWeights(rescaleWeights).build())
                .add(MaxPool2x2.block())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(L0Linear.builder().setUnits(LeNet5.DENSE_INPUTS[1])
                        .optDroprate(DROPRATE).optRescaleWeights(rescaleWeights).build())
                .add(Activation.reluBlock())
                .add(L0Linear.builder().setUnits(LeNet5.CLASSES)
                        .optDroprate(DROPRATE).optRescaleWeights(rescaleWeights).build());
    }
}
