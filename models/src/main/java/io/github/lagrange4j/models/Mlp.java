package io.github.lagrange4j.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The MLP 784-300-100-10 of Louizos et al. (2018), Section 4.1, in its dense (unregularised) form.
 *
 * <p>Input: a batch of MNIST images, flat {@code (B, 784)} or {@code (B, 1, 28, 28)} (it is flattened
 * first). Layers: dense 784→300, ReLU, dense 300→100, ReLU, dense 100→10 (logits). 266,610 parameters
 * with biases. The gated (L0) variant with the same shape is {@link GatedMlp}.
 */
public final class Mlp {

    /** The layer widths, input first: 784, 300, 100, 10. */
    public static final int[] WIDTHS = {784, 300, 100, 10};

    private Mlp() {}

    /**
     * Builds an uninitialised dense MLP 784-300-100-10.
     *
     * @return a new block; initialise it with {@code block.initialize(manager, DataType.FLOAT32, shape)}
     *     or through a DJL {@code Trainer}
     */
    public static SequentialBlock dense() {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock(WIDTHS[0]));
        for (int i = 1; i < WIDTHS.length; i++) {
            block.add(Linear.builder().setUnits(WIDTHS[i]).build());
            if (i < WIDTHS.length - 1) {
                block.add(Activation.reluBlock());
            }
        }
        return block;
    }
}
