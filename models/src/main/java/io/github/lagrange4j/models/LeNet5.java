package io.github.lagrange4j.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.github.lagrange4j.l0.nn.AlignedConv2d;

/**
 * LeNet-5-Caffe 20-50-800-500 of Louizos et al. (2018), Section 4.1, in its dense (unregularised) form.
 *
 * <p>Input {@code (B, 1, 28, 28)}. conv(1→20, 5×5) → ReLU → max-pool 2 → conv(20→50, 5×5) → ReLU →
 * max-pool 2 → flatten (50·4·4 = 800) → dense(800→500) → ReLU → dense(500→10). No padding; spatial sizes
 * 28 → 24 → 12 → 8 → 4. 431,080 parameters with biases; 2,293,000 multiply-accumulates per example. The
 * gated (L0) variant is {@link GatedLeNet5}.
 *
 * <p>The blocks apply each ReLU after its max-pooling, which computes the same function with a quarter of the
 * ReLU's work. Max-pooling commutes with the ReLU ({@code relu(max a_i) = max relu(a_i)}: both are monotone),
 * so conv → max-pool → ReLU gives conv → ReLU → max-pool's output exactly, and its gradient too: a window's
 * gradient goes to its first maximum, which the ReLU lets through unless that maximum is ≤ 0, and then the ReLU
 * stops it in either order. The ReLU then runs on the pooled map, 128×20×12×12 instead of 128×20×24×24 elements
 * after the first convolution ({@code MaxPool2x2Test} checks outputs and gradients bit for bit, ties and zeros
 * included).
 *
 * <p>The convolutions are DJL's {@code Conv2d}, computed through {@link AlignedConv2d} when the process's channel
 * alignment ({@code LAGRANGE4J_CONV_ALIGNMENT}, set by the launcher's kernel check) is above 1.
 */
public final class LeNet5 {

    /** Output channels of the two convolutions. */
    public static final int[] CONV_CHANNELS = {20, 50};
    /** Kernel side of both convolutions. */
    public static final int KERNEL = 5;
    /** Inputs of the two dense layers: 800 = 50·4·4 and 500. */
    public static final int[] DENSE_INPUTS = {800, 500};
    /** Number of classes. */
    public static final int CLASSES = 10;

    private LeNet5() {}

    /**
     * Builds an uninitialised dense LeNet-5-Caffe.
     *
     * @return a new block taking {@code (B, 1, 28, 28)} images and returning {@code (B, 10)} logits
     */
    public static SequentialBlock dense() {
        return new SequentialBlock()
                .add(AlignedConv2d.build(Conv2d.builder().setKernelShape(new Shape(KERNEL, KERNEL)).setFilters(CONV_CHANNELS[0])))
                .add(MaxPool2x2.block())
                .add(Activation.reluBlock())
                .add(AlignedConv2d.build(Conv2d.builder().setKernelShape(new Shape(KERNEL, KERNEL)).setFilters(CONV_CHANNELS[1])))
                .add(MaxPool2x2.block())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(DENSE_INPUTS[1]).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }
}
