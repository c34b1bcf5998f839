package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

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
 */
public final class LogAlphaTangent {

    private final float[] values;
    private final NDArray displacement;

    private LogAlphaTangent(float[] values, NDArray displacement) {
        this.values = values;
        this.displacement = displacement;
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
        return new LogAlphaTangent(values, displacement);
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
        requireLength(value, "value");
        requireLength(slope, "slope");
        return EngineFloats.of(manager, slope).mul(displacement).add(EngineFloats.of(manager, value));
    }

    /**
     * Joins a sum of element-wise functions of log α to the graph: {@code value + Σ_j slope_j (log α_j − a_j)},
     * a scalar of value {@code value} (rounded to float32) and gradient {@code slope}.
     *
     * @param value {@code F(a)}, e.g. computed in double precision
     * @param slope {@code ∂F/∂log α_j}, one value per gate
     * @param manager the manager that owns the result and the array made from {@code slope}
     * @return the scalar, differentiable in log α
     * @throws IllegalArgumentException if {@code slope}'s length is not the number of gates
     */
    public NDArray expandSum(double value, float[] slope, NDManager manager) {
        requireLength(slope, "slope");
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
