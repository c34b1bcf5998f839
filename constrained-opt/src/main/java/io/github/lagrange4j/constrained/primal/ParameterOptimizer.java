package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs any DJL {@link Optimizer} (Adam, SGD, {@link StatefulAdam}, ...) on named primal
 * parameters: free NDArrays, or the trainable parameters of a {@link Block}.
 *
 * <p>Rule: whatever the optimizer implements, {@code optimizer.update(name, w, grad(w))} for every
 * parameter in insertion order, then {@code grad(w) <- 0}. Free arrays must have {@code
 * setRequiresGradient(true)}; Block parameters are keyed by their path in {@code
 * block.getParameters()} (stable across runs, unlike DJL's random parameter ids).
 */
public final class ParameterOptimizer implements PrimalOptimizer {

    private final Optimizer optimizer;
    private final Map<String, NDArray> parameters;

    private ParameterOptimizer(Optimizer optimizer, Map<String, NDArray> parameters) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must not be null");
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must not be empty");
        }
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            if (!e.getValue().hasGradient()) {
                throw new IllegalArgumentException(
                        "parameter '" + e.getKey() + "' must have setRequiresGradient(true)");
            }
        }
        this.optimizer = optimizer;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Optimises free NDArrays.
     *
     * @param optimizer the DJL optimizer
     * @param parameters name to array, insertion-ordered; each array requires gradient
     * @return the primal optimizer
     */
    public static ParameterOptimizer of(Optimizer optimizer, Map<String, NDArray> parameters) {
        return new ParameterOptimizer(optimizer, parameters);
    }

    /**
     * Optimises one free NDArray named {@code "x"}.
     *
     * @param optimizer the DJL optimizer
     * @param x the array (requires gradient)
     * @return the primal optimizer
     */
    public static ParameterOptimizer of(Optimizer optimizer, NDArray x) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("x", x);
        return new ParameterOptimizer(optimizer, m);
    }

    /**
     * Optimises the trainable, initialised parameters of a block.
     *
     * @param optimizer the DJL optimizer
     * @param block an initialised block
     * @return the primal optimizer
     */
    public static ParameterOptimizer ofBlock(Optimizer optimizer, Block block) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().isInitialized()) {
                m.put(p.getKey(), p.getValue().getArray());
            }
        }
        return new ParameterOptimizer(optimizer, m);
    }

    /**
     * Returns the DJL optimizer.
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Returns the named parameters.
     *
     * @return an unmodifiable insertion-ordered map
     */
    public Map<String, NDArray> namedParameters() {
        return parameters;
    }

    @Override
    public GradientCollector newGradientCollector() {
        return parameters.values().iterator().next().getManager().getEngine().newGradientCollector();
    }

    @Override
    public void step() {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray w = e.getValue();
            try (NDArray g = w.getGradient()) {
                optimizer.update(e.getKey(), w, g);
            }
            Gradients.zero(w);
        }
    }

    @Override
    public List<NDArray> parameters() {
        return new ArrayList<>(parameters.values());
    }
}
