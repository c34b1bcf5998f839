package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.lagrange4j.constrained.constraint.ViolationGradientSink;

/**
 * Log α at one training step as a point of expansion: a function of log α whose value and derivative are
 * computed in closed form in Java joins the autograd graph through its first-order expansion at that point,
 *
 * <pre>
 *   f(log α) ↦ f(a) + f′(a) ⊙ (log α − a),   a = stop_gradient(log α),
 * </pre>
 *
 * whose value is exactly {@code f(a)} ({@code log α − a} is exactly 0 for finite log α) and whose gradient in
 * log α is exactly {@code f′(a)}: what back-propagation through the operations of {@code f} gives, up to float
 * rounding, for a multiplication and an addition on the engine (and their two backward nodes) however many
 * operations {@code f} has.
 *
 * <p>Used for the per-step functions of the gates, which are element-wise (the hard-concrete sample) or sums
 * of element-wise terms (the expected number of active parameters): a dozen small engine operations each,
 * and their backward nodes, on an MLP's 1,184 gates, against a few microseconds of Java. The expansion holds
 * for one forward and backward pass: the parameter must not change in between.
 *
 * <p>Ownership: the displacement {@code log α − a} lives in the manager of {@code logAlpha}; every result of
 * {@link #expand} and {@link #expandSum} lives in the manager given. The arrays made from the values and slopes
 * (the backward pass reads the slopes) are the engine's own memory (written through a view where the engine
 * gives one), so the backward pass may use them after the manager has closed them.
 *
 * <p><b>Gradients in closed form</b> ({@link #withGradientsOutsideTheGraph}): log α does not enter the graph at
 * all. A sum {@code f} ({@link #expandSum}) joins it as a scalar leaf {@code s} of value {@code f(a)}; after the
 * backward pass {@code ∂L/∂s} is read once ({@link #settle}) and {@code ∂L/∂s · f′(a)} is what {@code f}
 * contributes to log α's gradient ({@link #addSumGradients}), which the gated layers hand to the optimizer
 * with their own part (the gates' {@code ∂L/∂z ⊙ ∂z/∂log α}, see {@code L0Linear}). No concatenation,
 * displacement, expansion or split of log α on the engine, forward or backward.
 */
public final class LogAlphaTangent {

    private final float[] values;
    private final NDArray displacement;
    /** The scalar leaves of {@link #expandSum} with their slopes, in closed-form-gradient mode (else null). */
    private final java.util.List<SumLeaf> leaves;
    /** {@code ∂L/∂s} of each leaf once {@link #settle}d, else null. */
    private double[] leafGradients;

    /**
     * A sum joined to the graph as a leaf, its gradient in log α per unit of the leaf's gradient, and what was
     * handed to it outside the graph ({@link #gradientSinkFor}).
     */
    private record SumLeaf(NDArray leaf, float[] slope, double[] outside) {}

    private LogAlphaTangent(float[] values, NDArray displacement, boolean outsideGraph) {
        this.values = values;
        this.displacement = displacement;
        this.leaves = outsideGraph ? new java.util.ArrayList<>() : null;
    }

    /**
     * A point of expansion whose functions join the graph without log α (see the class comment): the sums of
     * {@link #expandSum} as scalar leaves whose gradients are read after the backward pass.
     *
     * @param values log α of all gates at this step (kept, not copied)
     * @return the point of expansion
     */
    public static LogAlphaTangent withGradientsOutsideTheGraph(float[] values) {
        return new LogAlphaTangent(values, null, true);
    }

    /**
     * Whether log α stays outside the graph ({@link #withGradientsOutsideTheGraph}).
     *
     * @return true in closed-form-gradient mode
     */
    public boolean gradientsOutsideTheGraph() {
        return leaves != null;
    }

    /**
     * Where {@code ∂L/∂s} of the sum {@code s} goes when the caller back-propagates through it outside the graph
     * (a constraint whose violation is {@code s − ε}, say: {@code ∂L/∂s = ∂L/∂g}); null if {@code sum} is not a
     * leaf of this point ({@link #expandSum} in closed-form-gradient mode). What the sink receives is added to
     * what the backward pass gives the leaf when this point {@link #settle}s.
     *
     * @param sum a result of {@link #expandSum} at this point
     * @return the sink for one value, or null
     */
    public synchronized ViolationGradientSink gradientSinkFor(NDArray sum) {
        if (leaves == null) {
            return null;
        }
        for (SumLeaf l : leaves) {
            if (l.leaf() == sum) {
                return gradient -> {
                    if (gradient.length != 1) {
                        throw new IllegalArgumentException(
                                "a sum is one value: its gradient must be 1 value, got " + gradient.length);
                    }
                    synchronized (this) {
                        if (leafGradients != null) {
                            throw new IllegalStateException("this step's sums were settled already");
                        }
                        l.outside()[0] += gradient[0];
                    }
                };
            }
        }
        return null;
    }

    /**
     * Reads the gradient of every sum's leaf ({@code 0} for a leaf no backward pass reached), adds what its
     * {@link #gradientSinkFor sink} received, and closes the leaves; later calls do nothing. Call it after the
     * backward pass of the step that drew at this point.
     */
    public synchronized void settle() {
        if (leaves == null || leafGradients != null) {
            return;
        }
        double[] g = new double[leaves.size()];
        for (int i = 0; i < g.length; i++) {
            NDArray leaf = leaves.get(i).leaf();
            try (NDArray grad = leaf.getGradient()) {
                // through a view (getFloat() would index the array first: an operation and a copy more)
                g[i] = EngineFloats.read(grad)[0] + leaves.get(i).outside()[0];
            }
            leaf.close();
        }
        leafGradients = g;
    }

    /**
     * Adds what the sums of this step contribute to the log α gradient of gates {@code [from, from +
     * dst.length)}: {@code Σ_s ∂L/∂s · f_s′(a)}, settling first ({@link #settle}).
     *
     * @param dst the gradient of a layer's gates, added to
     * @param from the index of the layer's first gate among all gates
     */
    public void addSumGradients(float[] dst, int from) {
        if (leaves == null) {
            throw new IllegalStateException("log alpha is in the graph at this point of expansion");
        }
        settle();
        for (int i = 0; i < leafGradients.length; i++) {
            float g = (float) leafGradients[i];
            if (g == 0) {
                continue;
            }
            float[] slope = leaves.get(i).slope();
            for (int j = 0; j < dst.length; j++) {
                dst[j] += g * slope[from + j];
            }
        }
    }

    /**
     * Expands at the current value of {@code logAlpha}: reads its values and records the displacement
     * {@code logAlpha − stop_gradient(logAlpha)} (two engine operations).
     *
     * @param logAlpha a 1-D float32 array of log α, differentiable with respect to the parameters
     * @return the point of expansion
     * @throws IllegalArgumentException if {@code logAlpha} is not 1-D float32
     */
    public static LogAlphaTangent at(NDArray logAlpha) {
        if (logAlpha.getShape().dimension() != 1 || logAlpha.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("the tangent expands a 1-D float32 log alpha, got "
                    + logAlpha.getDataType() + " of shape " + logAlpha.getShape());
        }
        float[] values = EngineFloats.read(logAlpha);
        NDArray displacement;
        try (NDArray point = logAlpha.stopGradient()) {
            displacement = logAlpha.sub(point);
        }
        return new LogAlphaTangent(values, displacement, false);
    }

    /**
     * Returns the values of log α at the point of expansion. Do not modify them.
     *
     * @return one value per gate
     */
    public float[] values() {
        return values;
    }

    /**
     * Reads the values of a float32 array of the gates' length (e.g. the noise of a sample) in order, through a
     * view of its memory where the engine gives one.
     *
     * @param array a 1-D float32 array with one value per gate
     * @return its values
     * @throws IllegalArgumentException if the array does not have one float32 value per gate
     */
    public float[] read(NDArray array) {
        if (array.size() != values.length || array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected " + values.length + " float32 values, got "
                    + array.getDataType() + " of shape " + array.getShape());
        }
        return EngineFloats.read(array);
    }

    /**
     * Returns the number of gates.
     *
     * @return the length of log α
     */
    public int size() {
        return values.length;
    }

    /**
     * Joins an element-wise function of log α to the graph: {@code value + slope ⊙ (log α − a)}, of value
     * {@code value} and derivative {@code slope} element by element.
     *
     * @param value {@code f(a)}, one value per gate
     * @param slope {@code ∂f_j/∂log α_j}, one value per gate
     * @param manager the manager that owns the result and the arrays made from {@code value} and {@code slope}
     * @return the function's values, differentiable in log α
     * @throws IllegalArgumentException if an array's length is not the number of gates
     */
    public NDArray expand(float[] value, float[] slope, NDManager manager) {
        if (leaves != null) {
            throw new IllegalStateException("log alpha is outside the graph at this point of expansion: the gates"
                    + " take their sample as values (L0Linear)");
        }
        requireLength(value, "value");
        requireLength(slope, "slope");
        return EngineFloats.of(manager, slope).mul(displacement).add(EngineFloats.of(manager, value));
    }

    /**
     * Joins a sum of element-wise functions of log α to the graph: {@code value + Σ_j slope_j (log α_j − a_j)},
     * a scalar of value {@code value} (rounded to float32) and gradient {@code slope}.
     *
     * <p>With log α outside the graph ({@link #withGradientsOutsideTheGraph}): a scalar leaf of value {@code
     * value}, owned by this object until {@link #settle}, whose gradient reaches log α through {@link
     * #addSumGradients}.
     *
     * @param value {@code F(a)}, e.g. computed in double precision
     * @param slope {@code ∂F/∂log α_j}, one value per gate
     * @param manager the manager that owns the result and the array made from {@code slope}
     * @return the scalar, differentiable in log α (or the leaf)
     * @throws IllegalArgumentException if {@code slope}'s length is not the number of gates
     */
    public NDArray expandSum(double value, float[] slope, NDManager manager) {
        requireLength(slope, "slope");
        if (leaves != null) {
            // a leaf of the graph: its gradient times the slope is the sum's part of log α's gradient (settle)
            NDArray leaf = manager.create((float) value);
            leaf.setRequiresGradient(true);
            ai.djl.ndarray.NDScope.unregister(leaf);
            leaf.detach();
            synchronized (this) {
                if (leafGradients != null) {
                    leaf.close();
                    throw new IllegalStateException("this step's sums were settled already");
                }
                leaves.add(new SumLeaf(leaf, slope, new double[1]));
            }
            return leaf;
        }
        // the sum is exactly ±0 (so is the displacement); adding a number is safe in differentiated code (its
        // backward pass does not read the number, see Scalars)
        return EngineFloats.of(manager, slope).mul(displacement).sum().add((float) value);
    }

    private void requireLength(float[] array, String name) {
        if (array.length != values.length) {
            throw new IllegalArgumentException(
                    "the " + name + " must have one entry per gate (" + values.length + "), got " + array.length);
        }
    }
}
