package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One hard-concrete noise draw per gated layer and minibatch, shared by the shards of a data-parallel step,
 * so that every shard of a minibatch trains under the same gate sample {@code z}, as one device would.
 *
 * <p>Rule: after {@link #newSample()}, the first forward pass of a layer draws its noise {@code u}
 * ({@link HardConcrete#noise}) and keeps it; later forward passes of that layer until the next {@link
 * #newSample()} reuse it (copied to their device) and compute {@code z = }{@link
 * HardConcrete#sampleFromNoise}{@code (log α, u)} from their own copy of log α, so the gradient reaches
 * every device's copy while {@code z} is the same everywhere. The first shard draws in the order and shape
 * one device would, so a sharded step consumes the engine's random stream exactly as an unsharded one.
 *
 * <p>Call order: {@link #newSample()} once before each evaluation of a whole minibatch (a data-parallel
 * splitter does), then the shards' forward passes. The kept noise belongs to the manager of the first shard,
 * which closes with the step: a forward pass that finds its layer's noise closed draws anew, so a loop that
 * runs one forward pass per step without calling {@link #newSample()} (e.g. fine-tuning on the first device)
 * gets a fresh sample per step, as without shared noise.
 */
public final class SharedGateNoise {

    private final Map<Object, NDArray> drawn = new IdentityHashMap<>();

    /** Forgets the noise of the previous minibatch: the next forward pass of each layer draws anew. */
    public synchronized void newSample() {
        drawn.clear();
    }

    /**
     * Returns the layer's noise of the current minibatch, drawing it on the first call.
     *
     * @param layer the gated layer (compared by identity)
     * @param draw draws the noise
     * @return the noise, owned by the manager it was drawn in
     */
    public synchronized NDArray noise(Object layer, Supplier<NDArray> draw) {
        NDArray u = drawn.get(layer);
        if (u == null || u.isReleased()) {
            u = draw.get();
            drawn.put(layer, u);
        }
        return u;
    }
}
