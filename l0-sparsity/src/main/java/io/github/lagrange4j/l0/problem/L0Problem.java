package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.nn.JointGateSampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * <p>Projection: the problem owns the log α clamp of the reference implementations. Its {@link
 * #projectPrimal()}, which the constrained optimizer calls once at the end of every step, clamps the log α
 * of every gated layer it knows to {@code [LogAlpha.MIN, LogAlpha.MAX]} (log 0.01, log 100): the layers
 * that its constraint terms and penalties read ({@link ConstraintTerm#gates()}, {@link L0Penalty#gates()})
 * and those given to {@link Builder#optGates}. A training loop therefore never clamps by hand.
 *
 * @param <B> the batch type
 */
public final class L0Problem<B> implements ConstrainedMinimizationProblem<B> {

    private final Function<? super B, NDArray> taskLoss;
    private final List<ConstraintTerm<? super B>> terms;
    private final List<L0Penalty> penalties;
    private final List<Constraint> constraints;
    /** The log α parameters projected after every step, each once (listed once: this runs every step). */
    private final List<Parameter> gates;
    private final JointGateSampler sampler;
    /** The network {@link #sampler} draws for (null without a sampler). */
    private final GatedNetwork samplerNetwork;

    private L0Problem(Builder<B> builder) {
        this.taskLoss = builder.taskLoss;
        this.terms = Collections.unmodifiableList(new ArrayList<>(builder.terms));
        this.penalties = Collections.unmodifiableList(new ArrayList<>(builder.penalties));
        List<Constraint> list = new ArrayList<>();
        for (ConstraintTerm<? super B> t : terms) {
            list.add(t.constraint());
        }
        this.constraints = Collections.unmodifiableList(list);
        Set<GatedLayer> layers = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> gateList = new ArrayList<>();
        List<GatedLayer> candidates = new ArrayList<>();
        terms.forEach(t -> candidates.addAll(t.gates()));
        penalties.forEach(p -> candidates.addAll(p.gates()));
        builder.gates.forEach(n -> candidates.addAll(n.layers()));
        for (GatedLayer layer : candidates) {
            if (layers.add(layer)) {
                gateList.add(layer.logAlpha());
            }
        }
        this.gates = Collections.unmodifiableList(gateList);
        this.sampler = builder.jointSampling && builder.gates.size() == 1
                ? JointGateSampler.of(builder.gates.get(0).layers())
                : null;
        this.samplerNetwork = sampler == null ? null : builder.gates.get(0);
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
        // all layers' gate samples of this step at once, taken by the forward pass; the expected costs use the
        // same concatenated log α
        NDArray jointLogAlpha = sampler == null ? null : sampler.draw();
        NDArray loss = taskLoss.apply(batch);
        if (loss == null || loss.size() != 1) {
            throw new IllegalStateException(
                    "taskLoss must return a scalar, got "
                            + (loss == null ? "null" : "shape " + loss.getShape()));
        }
        return sampler == null ? costs(batch, loss)
                : samplerNetwork.withJointLogAlpha(jointLogAlpha, sampler.tangent(), () -> costs(batch, loss));
    }

    /** The state of a step whose task loss is computed: the penalties and the constraints added. */
    private CmpState costs(B batch, NDArray loss) {
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
     * Clamps the log α of every gated layer of this problem in place to {@code [LogAlpha.MIN,
     * LogAlpha.MAX]} (see the class comment); the constrained optimizer calls it once at the end of every
     * step. Every temporary is closed here.
     */
    @Override
    public void projectPrimal() {
        for (Parameter p : gates) {
            if (p.isInitialized()) {
                LogAlpha.clampInPlace(p.getArray());
            }
        }
    }

    /**
     * Returns the log α parameters this problem clamps after every step.
     *
     * @return one parameter per gated layer, each once
     */
    public List<Parameter> projectedGates() {
        return gates;
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
        private final List<GatedNetwork> gates = new ArrayList<>();
        private boolean jointSampling = true;

        Builder() {}

        /**
         * Adds gated layers whose log α the problem clamps after every step, besides those its constraints
         * and penalties read: for a problem whose gates appear only in the task loss (a penalized run with
         * no penalty, a user constraint on other quantities).
         *
         * @param network the gated network
         * @return this builder
         */
        public Builder<B> optGates(GatedNetwork network) {
            if (network == null) {
                throw new IllegalArgumentException("network must not be null");
            }
            gates.add(network);
            return this;
        }

        /**
         * Draws the gate samples of all layers of the {@link #optGates gated network} at once before each
         * forward pass ({@link JointGateSampler}; default true). Same noise, one set of operations instead of
         * one per layer; false lets every layer draw its own.
         *
         * @param joint whether to draw all layers' samples at once
         * @return this builder
         */
        public Builder<B> optJointGateSampling(boolean joint) {
            this.jointSampling = joint;
            return this;
        }

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
