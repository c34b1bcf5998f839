package io.github.lagrange4j.constrained.primal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 *
 * <p>Saved state ({@link #saveState}), after the {@link PrimalState} header of kind {@value #STATE_KIND},
 * version 1 (all integers big-endian):
 *
 * <pre>
 * int n                          number of parameters, then n times:
 *   UTF name, int k, k bytes     the name and DJL's exact encoding of the values ({@code NDArray.encode()})
 * boolean stateful               whether the optimizer is a {@link StatefulOptimizer}; if so:
 *   its buffers and step counts  ({@link StatefulOptimizer#saveState})
 * </pre>
 *
 * The parameter values are saved because free arrays belong to no model file. A DJL optimizer that is not a
 * {@link StatefulOptimizer} keeps its state where it cannot be read: only its parameters are saved, and a
 * resumed run restarts that optimizer's state.
 */
public final class ParameterOptimizer implements PrimalOptimizer {

    /** The kind written in the {@link PrimalState} header of this primal side's state. */
    public static final String STATE_KIND = "parameter-optimizer";

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

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        PrimalState.write(out, STATE_KIND, 1);
        out.writeInt(parameters.size());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = e.getValue().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.writeBoolean(optimizer instanceof StatefulOptimizer);
        if (optimizer instanceof StatefulOptimizer stateful) {
            stateful.saveState(out);
        }
    }

    @Override
    public void loadState(DataInputStream in, NDManager manager) throws IOException {
        PrimalState.read(in, STATE_KIND, 1);
        expect("number of primal parameters", parameters.size(), in.readInt());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            expect("primal parameter name", e.getKey(), in.readUTF());
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            try (NDScope ignored = new NDScope()) {
                NDArray value = NDArray.decode(e.getValue().getManager(), bytes);
                if (!value.getShape().equals(e.getValue().getShape())
                        || value.getDataType() != e.getValue().getDataType()) {
                    throw new IOException("primal parameter '" + e.getKey() + "' has shape " + value.getShape() + " "
                            + value.getDataType() + ", expected " + e.getValue().getShape() + " "
                            + e.getValue().getDataType());
                }
                ParameterValues.assign(e.getValue(), value);
                value.close();
            }
        }
        boolean stateful = in.readBoolean();
        expect("primal optimizer state presence", optimizer instanceof StatefulOptimizer, stateful);
        if (optimizer instanceof StatefulOptimizer s) {
            s.loadState(in, manager);
        }
    }

    private static void expect(String what, Object expected, Object actual) throws IOException {
        if (!expected.equals(actual)) {
            throw new IOException("checkpoint mismatch in " + what + ": optimizer has " + expected + ", checkpoint has "
                    + actual);
        }
    }
}
