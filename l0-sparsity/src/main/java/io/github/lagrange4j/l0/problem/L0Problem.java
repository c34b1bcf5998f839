package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A sparsity problem for {@code constrained-opt}: the caller's task loss, plus any L0 penalties, under
 * any number of constraints (L0 density constraints from {@link DensityConstraints} and the user's
 * own).
 *
 * <pre>
 *   objective  f = taskLoss(batch) + Σ penalties           (penalties: Louizos, λ·density, or none)
 *   constraints g_i(batch) ≤ 0 for every constraint term    (none: plain penalized training)
 * </pre>
 *
 * <p>With constraints this is the constrained formulation of Gallego-Posada, Ramirez et al. (NeurIPS
 * 2022); without, the penalized one of Louizos et al. (2018); the same constrained optimizer loop
 * runs both. Order of calls: build once, give it to a {@code ConstrainedOptimizer}, which calls
 * {@link #computeCmpState} inside its gradient collector and step scope. The task loss must be a
 * scalar; every array this problem creates lands in the task loss's manager (the step's). The
 * {@code misc} map of the state carries {@code task_loss} and {@code penalty} when penalties exist.
 *
 * @param <B> the batch type
 */
public final class L0Problem<B> implements ConstrainedMinimizationProblem<B> {

    private final Function<? super B, NDArray> taskLoss;
    private final List<ConstraintTerm<? super B>> terms;
    private final List<L0Penalty> penalties;
    private final List<Constraint> constraints;

    private L0Problem(Builder<B> builder) {
        this.taskLoss = builder.taskLoss;
        this.terms = Collections.unmodifiableList(new ArrayList<>(builder.terms));
        this.penalties = Collections.unmodifiableList(new ArrayList<>(builder.penalties));
        List<Constraint> list = new ArrayList<>();
        for (ConstraintTerm<? super B> t : terms) {
            list.add(t.constraint());
        }
        this.constraints = Collections.unmodifiableList(list);
    }

    /**
     * Creates a builder.
     *
     * @param <B> the batch type
     * @return a new builder
     */
    public static <B> Builder<B> builder() {
        return new Builder<>();
    }

    /** {@inheritDoc} */
    @Override
    public CmpState computeCmpState(B batch) {
        NDArray loss = taskLoss.apply(batch);
        if (loss == null || loss.size() != 1) {
            throw new IllegalStateException(
                    "taskLoss must return a scalar, got "
                            + (loss == null ? "null" : "shape " + loss.getShape()));
        }
        NDManager manager = loss.getManager();
        Map<String, Double> misc = new LinkedHashMap<>();
        NDArray objective = loss;
        if (!penalties.isEmpty()) {
            NDArray penalty = null;
            for (L0Penalty p : penalties) {
                NDArray r = p.compute(manager);
                penalty = penalty == null ? r : penalty.add(r);
            }
            objective = loss.add(penalty.toType(loss.getDataType(), false));
            misc.put("task_loss", (double) loss.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat());
            misc.put("penalty", (double) penalty.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat());
        }
        Map<Constraint, ConstraintState> states = new LinkedHashMap<>();
        for (ConstraintTerm<? super B> t : terms) {
            states.put(t.constraint(), t.computeState(batch, manager));
        }
        return new CmpState(objective, states, misc);
    }

    /** {@inheritDoc} */
    @Override
    public List<Constraint> constraints() {
        return constraints;
    }

    /**
     * Returns the constraint terms in the order they were added.
     *
     * @return the terms
     */
    public List<ConstraintTerm<? super B>> terms() {
        return terms;
    }

    /**
     * Returns the penalties.
     *
     * @return the penalties
     */
    public List<L0Penalty> penalties() {
        return penalties;
    }

    /**
     * Builds an {@link L0Problem}: {@code setTaskLoss} is required; constraints and penalties are
     * optional and may be mixed.
     *
     * @param <B> the batch type
     */
    public static final class Builder<B> {

        private Function<? super B, NDArray> taskLoss;
        private final List<ConstraintTerm<? super B>> terms = new ArrayList<>();
        private final List<L0Penalty> penalties = new ArrayList<>();

        Builder() {}

        /**
         * Sets the task loss: a function from a batch to a scalar, differentiable in the model's
         * parameters (typically the mean cross-entropy of a training-mode forward pass).
         *
         * @param taskLoss the task loss
         * @return this builder
         */
        public Builder<B> setTaskLoss(Function<? super B, NDArray> taskLoss) {
            this.taskLoss = taskLoss;
            return this;
        }

        /**
         * Adds a constraint (an L0 constraint or any user constraint).
         *
         * @param term the constraint term
         * @return this builder
         */
        public Builder<B> addConstraint(ConstraintTerm<? super B> term) {
            if (term == null) {
                throw new IllegalArgumentException("constraint term must not be null");
            }
            terms.add(term);
            return this;
        }

        /**
         * Adds a penalty to the objective.
         *
         * @param penalty the penalty
         * @return this builder
         */
        public Builder<B> addPenalty(L0Penalty penalty) {
            if (penalty == null) {
                throw new IllegalArgumentException("penalty must not be null");
            }
            penalties.add(penalty);
            return this;
        }

        /**
         * Builds the problem.
         *
         * @return the problem
         * @throws IllegalArgumentException if the task loss is missing or two constraints share a
         *     name
         */
        public L0Problem<B> build() {
            if (taskLoss == null) {
                throw new IllegalArgumentException("taskLoss must be set");
            }
            Set<String> names = new HashSet<>();
            for (ConstraintTerm<? super B> t : terms) {
                if (!names.add(t.constraint().name())) {
                    throw new IllegalArgumentException(
                            "constraint names must be unique, '" + t.constraint().name() + "' repeats");
                }
            }
            return new L0Problem<>(this);
        }
    }
}
