package io.github.lagrange4j.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * The two reference architectures of Louizos, Welling and Kingma, "Learning Sparse Neural Networks through L0
 * Regularization" (ICLR 2018), section 4.1, gated (L0) or dense.
 */
public enum ModelKind {
    /** MLP 784-300-100-10. */
    MLP("MLP 784-300-100", 3),
    /** LeNet-5-Caffe 20-50-800-500. */
    LENET("LeNet-5-Caffe 20-50-800-500", 4);

    private final String title;
    private final int gatedLayers;

    ModelKind(String title, int gatedLayers) {
        this.title = title;
        this.gatedLayers = gatedLayers;
    }

    /**
     * Returns the human-readable name used in tables.
     *
     * @return e.g. "MLP 784-300-100"
     */
    public String title() {
        return title;
    }

    /**
     * Returns the number of gated layers, i.e. of layer-wise targets.
     *
     * @return 3 for the MLP, 4 for LeNet
     */
    public int gatedLayers() {
        return gatedLayers;
    }

    /**
     * Builds the uninitialised block.
     *
     * @param gated whether to build the L0-gated variant
     * @param rescaleWeights whether gated initial weights are divided by (1 − d)
     * @return the block
     */
    public Block build(boolean gated, boolean rescaleWeights) {
        if (this == MLP) {
            return gated ? GatedMlp.build(rescaleWeights) : Mlp.dense();
        }
        return gated ? GatedLeNet5.build(rescaleWeights) : LeNet5.dense();
    }

    /**
     * Returns the input shape for a batch.
     *
     * @param batchSize the batch size
     * @return {@code (B, 784)} for the MLP, {@code (B, 1, 28, 28)} for LeNet
     */
    public Shape inputShape(long batchSize) {
        return this == MLP ? new Shape(batchSize, 784) : new Shape(batchSize, 1, 28, 28);
    }
}
