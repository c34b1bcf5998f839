package io.github.lagrange4j.constrained.problem;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of a constrained minimisation problem on one batch: the loss and the state of each
 * observed constraint (Cooper's {@code CMPState}).
 *
 * <p>Ownership: the arrays are owned by the step scope in which the problem computed them; the
 * constrained optimizer closes them at the end of the step. Do not keep them across steps.
 *
 * @param loss the scalar objective {@code f(x)} (may be {@code null} in {@link
 *     ConstrainedMinimizationProblem#computeViolations} results)
 * @param observedConstraints the observed constraints and their states, insertion-ordered
 *     (defensively copied into an unmodifiable map)
 * @param misc optional extra metrics for logging (copied, unmodifiable), never null
 */
public record CmpState(
        NDArray loss, Map<Constraint, ConstraintState> observedConstraints, Map<String, Double> misc) {

    /** Validates and copies. */
    public CmpState {
        Objects.requireNonNull(observedConstraints, "observedConstraints must not be null");
        if (loss != null && loss.size() != 1) {
            throw new IllegalArgumentException(
                    "loss must be a scalar (one element), got shape " + loss.getShape());
        }
        observedConstraints = Collections.unmodifiableMap(new LinkedHashMap<>(observedConstraints));
        misc = misc == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(misc));
    }

    /**
     * Creates a state without extra metrics.
     *
     * @param loss the scalar loss
     * @param observedConstraints the constraint states, insertion-ordered
     */
    public CmpState(NDArray loss, Map<Constraint, ConstraintState> observedConstraints) {
        this(loss, observedConstraints, Map.of());
    }

    /**
     * Creates a state with a loss and a single constraint.
     *
     * @param loss the scalar loss
     * @param constraint the constraint
     * @param state its state
     * @return the CMP state
     */
    public static CmpState of(NDArray loss, Constraint constraint, ConstraintState state) {
        Map<Constraint, ConstraintState> m = new LinkedHashMap<>();
        m.put(constraint, state);
        return new CmpState(loss, m);
    }
}
