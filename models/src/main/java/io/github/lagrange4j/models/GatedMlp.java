package io.github.lagrange4j.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.l0.nn.L0Linear;

/**
 * The L0-gated MLP 784-300-100-10 of Louizos et al. (2018), Section 4.1: three gated dense layers, each
 * gated on its input neurons (784 pixels, 300 and 100 hidden units: 1,184 gates; 266,610 parameters).
 *
 * <p>Gate initialisation follows the official code of Louizos et al. (2018): drop rate d = 0.2 for the input
 * pixels and 0.5 elsewhere, i.e. log α ~ Normal(log(1 − d) − log d, 0.01). Input flat {@code (B, 784)} or
 * {@code (B, 1, 28, 28)}.
 */
public final class GatedMlp {

    /** Drop rate d of the input-pixel gates. */
    public static final double INPUT_DROPRATE = 0.2;
    /** Drop rate d of the hidden-unit gates. */
    public static final double HIDDEN_DROPRATE = 0.5;

    private GatedMlp() {}

    /**
     * Builds an uninitialised gated MLP with the reference drop rates and no weight rescaling.
     *
     * @return a new block
     */
    public static SequentialBlock build() {
        return build(false);
    }

    /**
     * Builds an uninitialised gated MLP.
     *
     * @param rescaleWeights whether initial weights are divided by (1 − d), as the NeurIPS 2022 code does
     * @return a new block
     */
    public static SequentialBlock build(boolean rescaleWeights) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock(Mlp.WIDTHS[0]));
        for (int i = 1; i < Mlp.WIDTHS.length; i++) {
            block.add(L0Linear.builder()
                    .setUnits(Mlp.WIDTHS[i])
                    .optDroprate(i == 1 ? INPUT_DROPRATE : HIDDEN_DROPRATE)
                    .optRescaleWeights(rescaleWeights)
                    .build());
            if (i < Mlp.WIDTHS.length - 1) {
                block.add(Activation.reluBlock());
            }
        }
        return block;
    }
}
