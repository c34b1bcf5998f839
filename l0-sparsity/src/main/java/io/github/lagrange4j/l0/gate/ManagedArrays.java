package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keeps computations on parameters out of the parameters' manager.
 *
 * <p>DJL puts the result of {@code a.op(b)} in the manager of {@code a}. A computation that starts
 * from a parameter's array would therefore leave its intermediates in the model's manager until the
 * model is closed (a leak per training step). {@link #inManager} re-expresses such an array as
 * {@code 0 + x} in the step's manager, keeping its autograd history, so that every later result lands
 * in the step's manager. {@link #owned} is the cheaper form when the first operation on the parameter
 * is a real one (no {@code 0 + x} copy): it moves that operation's result into the step's manager.
 */
public final class ManagedArrays {

    private ManagedArrays() {}

    /**
     * Returns {@code x} as an array owned by {@code manager} that is differentiable with respect to
     * {@code x}; returns {@code x} itself when it already belongs to {@code manager}.
     *
     * @param x the array, typically a parameter's
     * @param manager the manager that must own the result
     * @return {@code x}, or {@code 0 + x} owned by {@code manager}
     */
    public static NDArray inManager(NDArray x, NDManager manager) {
        if (x.getManager() == manager) {
            return x;
        }
        return manager.zeros(x.getShape(), x.getDataType()).add(x);
    }

    /**
     * Moves {@code result}, just computed from a parameter's array (and so created in the parameter's
     * manager), into {@code manager}, keeping its autograd history; one operation fewer than
     * {@link #inManager} of the parameter followed by the same operation, with the same values.
     *
     * @param result the fresh result of an operation whose receiver was a parameter's array
     * @param manager the manager that must own it
     * @return {@code result}, now owned by {@code manager}
     */
    public static NDArray owned(NDArray result, NDManager manager) {
        if (result.getManager() != manager) {
            result.attach(manager);
        }
        return result;
    }
}
