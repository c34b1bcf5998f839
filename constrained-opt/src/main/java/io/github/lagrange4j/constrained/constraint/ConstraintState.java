package io.github.lagrange4j.constrained.constraint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * The state of one {@link Constraint} observed on one batch: its differentiable violation and,
 * optionally, a strict violation and the indices of the constraints observed.
 *
 * <ul>
 *   <li>{@code violation}: {@code g(x)} (inequality, feasible when {@code <= 0}) or {@code h(x)}
 *       (equality), shape {@code ()} or {@code (n)}; it is differentiated for the primal step.
 *   <li>{@code strictViolation}: optional, same shape, used <b>only</b> for the dual update instead
 *       of {@code violation} (proxy constraints, Cotter et al., "Optimization with
 *       non-differentiable constraints ...", ALT 2019). It need not be differentiable (e.g. a step
 *       function).
 *   <li>{@code constraintIndices}: optional int64 vector with the indices of the constraints that
 *       the entries of {@code violation} refer to (required by indexed multipliers: entry {@code
 *       j} of the violation is constraint {@code constraintIndices[j]}).
 *   <li>{@code contributesToPrimal} / {@code contributesToDual}: whether this state enters the
 *       primal Lagrangian and/or the dual update on this step.
 *   <li>{@code gradientSink}: optional; where {@code ∂L/∂violation} goes when the problem back-propagates the
 *       violation itself ({@link ViolationGradientSink}).
 * </ul>
 *
 * <p>Ownership: the record does not own its arrays; they belong to whoever created them (usually
 * the problem, inside the step scope opened by the constrained optimizer, which closes them at the
 * end of the step).
 *
 * @param violation the differentiable violation, shape () or (n)
 * @param strictViolation the violation for the dual update, or {@code null} to use {@code violation}
 * @param constraintIndices int64 indices of the observed constraints, or {@code null}
 * @param contributesToPrimal whether the state contributes to the primal Lagrangian
 * @param contributesToDual whether the state contributes to the dual update
 * @param gradientSink where the violation's gradient goes outside the graph, or {@code null}
 */
public record ConstraintState(
        NDArray violation,
        NDArray strictViolation,
        NDArray constraintIndices,
        boolean contributesToPrimal,
        boolean contributesToDual,
        ViolationGradientSink gradientSink) {

    /** Validates shapes and types. */
    public ConstraintState {
        Objects.requireNonNull(violation, "violation must not be null");
        if (violation.getShape().dimension() > 1) {
            throw new IllegalArgumentException(
                    "violation must have shape () or (n), got " + violation.getShape());
        }
        if (strictViolation != null && strictViolation.size() != violation.size()) {
            throw new IllegalArgumentException(
                    "strictViolation must have as many elements as violation ("
                            + violation.size()
                            + "), got "
                            + strictViolation.getShape());
        }
        if (constraintIndices != null) {
            DataType t = constraintIndices.getDataType();
            if (t != DataType.INT64 && t != DataType.INT32) {
                throw new IllegalArgumentException(
                        "constraintIndices must be int64 (or int32), got " + t);
            }
            if (constraintIndices.size() != violation.size()) {
                throw new IllegalArgumentException(
                        "constraintIndices must have as many elements as violation ("
                                + violation.size()
                                + "), got "
                                + constraintIndices.getShape());
            }
        }
        if (!contributesToPrimal && !contributesToDual) {
            throw new IllegalArgumentException(
                    "a ConstraintState must contribute to the primal or to the dual update");
        }
    }

    /**
     * Creates a state whose violation is differentiated through the autograd graph (no gradient sink).
     *
     * @param violation the differentiable violation, shape () or (n)
     * @param strictViolation the violation for the dual update, or {@code null} to use {@code violation}
     * @param constraintIndices int64 indices of the observed constraints, or {@code null}
     * @param contributesToPrimal whether the state contributes to the primal Lagrangian
     * @param contributesToDual whether the state contributes to the dual update
     */
    public ConstraintState(NDArray violation, NDArray strictViolation, NDArray constraintIndices,
            boolean contributesToPrimal, boolean contributesToDual) {
        this(violation, strictViolation, constraintIndices, contributesToPrimal, contributesToDual, null);
    }

    /**
     * Creates a state with only a violation, contributing to both primal and dual updates.
     *
     * @param violation the differentiable violation
     * @return the state
     */
    public static ConstraintState of(NDArray violation) {
        return new ConstraintState(violation, null, null, true, true);
    }

    /**
     * Creates a state with a differentiable (proxy) violation and a strict violation for the dual.
     *
     * @param violation the differentiable proxy violation, used by the primal
     * @param strictViolation the strict violation, used by the dual
     * @return the state
     */
    public static ConstraintState of(NDArray violation, NDArray strictViolation) {
        return new ConstraintState(violation, strictViolation, null, true, true);
    }

    /**
     * Returns a copy with a strict violation, used only for the dual update.
     *
     * @param strict the strict violation (same number of elements)
     * @return a new state
     */
    public ConstraintState withStrictViolation(NDArray strict) {
        return new ConstraintState(
                violation, strict, constraintIndices, contributesToPrimal, contributesToDual, gradientSink);
    }

    /**
     * Returns a copy carrying the indices of the observed constraints (for indexed multipliers).
     *
     * @param indices int64 vector, one index per violation entry
     * @return a new state
     */
    public ConstraintState withIndices(NDArray indices) {
        return new ConstraintState(
                violation, strictViolation, indices, contributesToPrimal, contributesToDual, gradientSink);
    }

    /**
     * Returns a copy with the given contribution flags.
     *
     * @param toPrimal whether the state enters the primal Lagrangian
     * @param toDual whether the state enters the dual update
     * @return a new state
     */
    public ConstraintState withContributions(boolean toPrimal, boolean toDual) {
        return new ConstraintState(violation, strictViolation, constraintIndices, toPrimal, toDual, gradientSink);
    }

    /**
     * Returns a copy whose violation the problem back-propagates itself: when the constraint's formulation has
     * a closed form for its primal term, the optimizer leaves the term out of the autograd graph and hands
     * {@code ∂L/∂violation} to the sink instead (see {@link ViolationGradientSink}).
     *
     * @param sink where the violation's gradient goes
     * @return a new state
     */
    public ConstraintState withGradientSink(ViolationGradientSink sink) {
        return new ConstraintState(
                violation, strictViolation, constraintIndices, contributesToPrimal, contributesToDual, sink);
    }

    /**
     * Returns the violation used by the dual update: the strict one if present.
     *
     * @return {@code strictViolation} if not null, else {@code violation}
     */
    public NDArray dualViolation() {
        return strictViolation != null ? strictViolation : violation;
    }
}
