package io.github.lagrange4j.l0;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;

/**
 * The gated MLP 784-300-100-10 with log α spread uniformly over [-4, 4] (so that samples are 0, 1 and in
 * between, and layers have few live gates as well as many) and a batch of 16 normal inputs: the fixture of the
 * tests that compare ways of drawing the gates and forming their gradients. Closing it closes everything.
 */
public final class SpreadGatedMlp implements AutoCloseable {

    /** The manager of the parameters and the input. */
    public final NDManager manager;
    /** The block, initialised for (16, 784). */
    public final SequentialBlock mlp;
    /** Its gated layers. */
    public final GatedNetwork network;
    /** A training parameter store over {@link #manager}. */
    public final ParameterStore store;
    /** The input batch, (16, 784). */
    public final NDArray x;

    /**
     * Builds the fixture on an engine.
     *
     * @param engine the engine
     */
    public SpreadGatedMlp(Engine engine) {
        manager = engine.newBaseManager();
        mlp = GatedNets.mlp();
        mlp.initialize(manager, DataType.FLOAT32, new Shape(16, 784));
        network = GatedNetwork.of(mlp);
        for (GatedLayer layer : network.layers()) {
            NDArray la = layer.logAlpha().getArray();
            la.subi(la).addi(manager.randomUniform(-4f, 4f, la.getShape()));
        }
        store = new ParameterStore(manager, false);
        x = manager.randomNormal(new Shape(16, 784));
    }

    @Override
    public void close() {
        manager.close();
    }
}
