package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One constraint of an {@link L0Problem} together with the computation of its state on a batch.
 *
 * <p>The L0 terms ({@link DensityConstraints}) ignore the batch; a user constraint (fairness, rate,
 * …) may use it. The problem calls {@link #computeState} once per evaluation, inside the constrained
 * optimizer's gradient collector and step scope.
 *
 * @param <B> the batch type
 */
public interface ConstraintTerm<B> {

    /**
     * Returns the constraint (name, type, formulation, multipliers); the same instance every time.
     *
     * @return the constraint
     */
    Constraint constraint();

    /**
     * Computes the state of the constraint on a batch.
     *
     * @param batch the batch
     * @param manager the manager of the current step (the task loss's), which owns the arrays
     * @return the state, with a differentiable violation
     */
    ConstraintState computeState(B batch, NDManager manager);

    /**
     * Lists the gated layers whose gates this term reads; an {@link L0Problem} keeps their log α within
     * {@code [LogAlpha.MIN, LogAlpha.MAX]} after every step. The L0 terms of {@link DensityConstraints}
     * list their network's layers; the default lists none.
     *
     * @return the gated layers (an empty list by default)
     */
    default List<GatedLayer> gates() {
        return List.of();
    }

    /**
     * Pairs a constraint with the function that computes its state, for a user constraint written as a
     * lambda: {@code ConstraintTerm.of(Constraint.inequality("norm", 1), (batch, m) -> ConstraintState.of(..))}.
     *
     * @param constraint the constraint (name, type, formulation, multipliers)
     * @param state computes the state on a batch; arrays in the given manager are closed with the step
     * @param <B> the batch type
     * @return the term
     */
    static <B> ConstraintTerm<B> of(Constraint constraint, BiFunction<? super B, NDManager, ConstraintState> state) {
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(state, "state");
        return new ConstraintTerm<>() {
            @Override
            public Constraint constraint() {
                return constraint;
            }

            @Override
            public ConstraintState computeState(B batch, NDManager manager) {
                return state.apply(batch, manager);
            }
        };
    }
}
