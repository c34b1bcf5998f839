package io.github.lagrange4j.constrained.dual;

/**
 * A gradient-ascent rule for Lagrange multipliers, as an {@code init}/{@code update} pair over an
 * explicit state (Optax style).
 *
 * <p>Order of calls: {@link #init(int)} once per constraint; then on every step {@link
 * #increments} for the observed entries, whose result the caller adds to {@code lambda} before
 * restarts and the projection. Implementations are immutable settings.
 */
public interface DualOptimizer {

    /**
     * Creates the zero state for {@code size} constraint entries.
     *
     * @param size the number of entries
     * @return a fresh state
     */
    DualOptimizerState init(int size);

    /**
     * Computes {@code Delta lambda} for the observed entries and advances their state.
     *
     * @param state the state, advanced at {@code indices} through {@link DualOptimizerState#setValue} and
     *     {@link DualOptimizerState#incrementStepCount}
     * @param indices the observed entries
     * @param gradient the ascent direction (the violation), one value per observed entry
     * @return the increments, one per observed entry
     */
    double[] increments(DualOptimizerState state, int[] indices, double[] gradient);

    /**
     * Returns a short description with the hyper-parameters (for logs and checkpoints).
     *
     * @return the description
     */
    String describe();

    /**
     * Validates a learning rate.
     *
     * @param lr the learning rate
     * @return {@code lr}
     */
    static double checkLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + lr);
        }
        return lr;
    }

    /**
     * Validates a coefficient in {@code [0, 1)}.
     *
     * @param name the argument name
     * @param value the value
     * @return {@code value}
     */
    static double checkUnitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
