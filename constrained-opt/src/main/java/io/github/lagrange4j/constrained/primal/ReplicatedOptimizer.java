package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes an optimizer with one state per parameter (such as {@link StatefulAdam}, whose state a checkpoint
 * holds) safe under DJL's multi-device training, where the engine's parameter server may call
 * {@link Optimizer#update} once per device copy of a parameter in one {@code trainer.step()}.
 *
 * <p>Rule, per parameter and step (the step begins with {@link #newStep()}): the first call updates with the
 * wrapped optimizer, on the gradient the parameter server summed over the devices; it starts from the model's
 * own parameter array (the first device's copy), copied into the weight it is given if that is another array
 * (an engine's key-value store keeps its own copy, which the problem's projection after the last step has not
 * seen). Every later call of the step is another device's copy: its gradient is zeroed and the copy is kept,
 * and {@link #broadcast()} (which {@link DataParallelPrimalOptimizer} calls before the next forward passes)
 * overwrites it with the first device's value, the projection included. So the state advances once per step
 * whether the engine calls the update once per parameter or once per device copy (DJL's {@code
 * LocalParameterServer}, PyTorch, in device order). MXNet's key-value store calls it once per parameter, on its
 * own copy, and copies the result to every device itself: there the other devices' copies miss the problem's
 * projection of the last step until the next update (the first device's copy has it).
 *
 * <p>The wrapped optimizer's learning rate, rescaling, clipping and weight decay apply; this wrapper's own
 * builder settings are unused.
 */
public final class ReplicatedOptimizer extends Optimizer {

    private final Optimizer inner;
    private final Block block;
    private final Set<String> updated = ConcurrentHashMap.newKeySet();
    private final Map<String, List<NDArray>> copies = new ConcurrentHashMap<>();
    private volatile Map<String, Parameter> parameters;

    /**
     * Wraps an optimizer.
     *
     * @param inner the optimizer that keeps the state, not owned
     * @param block the model's block, whose parameter arrays are the first device's copies
     */
    public ReplicatedOptimizer(Optimizer inner, Block block) {
        super(new Builder());
        if (inner == null || block == null) {
            throw new IllegalArgumentException("inner optimizer and block must not be null");
        }
        this.inner = inner;
        this.block = block;
    }

    /** Begins a step: the next update of each parameter is its first in the step. */
    public void newStep() {
        updated.clear();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (!updated.add(parameterId)) {
            // another device's copy: overwritten by broadcast() before the next forward pass
            List<NDArray> known = copies.computeIfAbsent(parameterId, k -> new CopyOnWriteArrayList<>());
            if (known.stream().noneMatch(a -> a == weight)) {
                known.add(weight);
            }
            Gradients.zero(weight);
            return;
        }
        Parameter p = parameters().get(parameterId);
        if (p != null && p.getArray() != weight) {
            NDArray own = p.getArray();
            if (own.getDevice().equals(weight.getDevice())) {
                ParameterValues.assign(weight, own);
            } else {
                try (NDArray moved = own.toDevice(weight.getDevice(), true)) {
                    ParameterValues.assign(weight, moved);
                }
            }
        }
        inner.update(parameterId, weight, grad);
    }

    /**
     * Copies the model's own value of every parameter (the first device's copy) onto the other devices' copies
     * that the updates have seen; call it outside any gradient collector, before a step's forward passes.
     */
    public void broadcast() {
        for (Map.Entry<String, List<NDArray>> e : copies.entrySet()) {
            Parameter p = parameters().get(e.getKey());
            if (p == null) {
                continue;
            }
            NDArray own = p.getArray();
            for (NDArray copy : e.getValue()) {
                if (copy == own) {
                    continue;
                }
                if (copy.getDevice().equals(own.getDevice())) {
                    ParameterValues.assign(copy, own);
                } else {
                    try (NDArray moved = own.toDevice(copy.getDevice(), true)) {
                        ParameterValues.assign(copy, moved);
                    }
                }
            }
        }
    }

    private Map<String, Parameter> parameters() {
        Map<String, Parameter> map = parameters;
        if (map == null) {
            map = new ConcurrentHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                map.put(p.getValue().getId(), p.getValue());
            }
            parameters = map;
        }
        return map;
    }

    /** The base class's builder, whose settings the wrapper does not use. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
