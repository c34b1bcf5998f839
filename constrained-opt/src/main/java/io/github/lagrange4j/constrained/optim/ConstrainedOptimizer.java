package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizerState;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.formulation.ClosedFormTerm;
import io.github.lagrange4j.constrained.multiplier.MultiplierModel;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.relaxation.Slack;
import java.util.List;
import java.util.Map;

/**
 * Runs gradient descent-ascent on the Lagrangian {@code L(x, lambda) = f(x) + sum_k
 * formulation_k(g_k(x), lambda_k)}: one call to {@link #step(Object)} is one whole step of the chosen
 * scheme and returns a {@link StepRecord}. The simultaneous step, for example, is
 * {@code x <- primal(x, grad_x L(x, lambda))}, {@code lambda <- max(0, lambda + eta * g(x))} (then a dual
 * restart {@code lambda_k <- 0} where {@code g_k(x) < 0}, if enabled); the dual update is the
 * formulation's (Gallego-Posada et al., "Controlled Sparsity via Constrained Optimization", NeurIPS
 * 2022).
 *
 * <p>What is read from each evaluation (observed entries, violations, primal terms) is
 * {@link ConstraintObservations}'s; the builder is {@link ConstrainedOptimizerBuilder}.
 *
 * <p>Memory: each evaluation runs inside an {@link NDScope}, so every array the problem and the
 * formulations create during it is closed at its end; the primal update runs outside it (so
 * optimizer states created lazily survive). Nothing native is kept between steps by this class.
 *
 * <p>Order of calls: build with {@link #builder()}, then {@code step(batch)} repeatedly;
 * checkpoint with {@link OptimizerCheckpoint}. Subclasses define the scheme (Cooper: Gallego-Posada
 * et al., 2025).
 *
 * @param <B> the batch type
 */
public abstract class ConstrainedOptimizer<B> {

    private final ConstrainedMinimizationProblem<B> problem;
    private final PrimalOptimizer primal;
    private final DualAscent dual;
    private final List<Constraint> constraints;
    private final DualVariables duals;
    private long stepCount;

    /**
     * Creates the optimizer and initialises one dual state per constraint (with the constraint's own
     * dual optimizer if the configuration names one) and the slack of each relaxed constraint.
     *
     * @param config the configuration
     */
    protected ConstrainedOptimizer(OptimizerConfig<B> config) {
        this.problem = config.problem();
        this.primal = config.primal();
        this.dual = config.dual();
        this.constraints = List.copyOf(problem.constraints());
        this.duals = new DualVariables(constraints, dual, config.relaxations(),
                config.multiplierModels());
        if (duals.hasModels() && scheme() != UpdateScheme.SIMULTANEOUS
                && scheme() != UpdateScheme.ALTERNATING_PRIMAL_DUAL) {
            throw new IllegalArgumentException("multiplier models work with the SIMULTANEOUS and"
                    + " ALTERNATING_PRIMAL_DUAL schemes, got " + scheme());
        }
        dual.requireKnown(constraints);
    }

    /**
     * Returns a builder.
     *
     * @param <B> the batch type
     * @return the builder
     */
    public static <B> ConstrainedOptimizerBuilder<B> builder() {
        return new ConstrainedOptimizerBuilder<>();
    }

    /**
     * Runs one step of the scheme, then the problem's {@link ConstrainedMinimizationProblem#projectPrimal()}.
     *
     * @param batch the batch (may be null for deterministic problems)
     * @return the record of this step
     */
    public final StepRecord step(B batch) {
        StepRecord r = doStep(batch, stepCount + 1);
        problem.projectPrimal();
        stepCount++;
        return r;
    }

    /**
     * Runs one step; implemented by each scheme.
     *
     * @param batch the batch
     * @param step the 1-based number of this step
     * @return the record
     */
    protected abstract StepRecord doStep(B batch, long step);

    /**
     * Returns the scheme of this optimizer.
     *
     * @return the scheme
     */
    public abstract UpdateScheme scheme();

    /**
     * Returns the number of completed steps.
     *
     * @return the step count
     */
    public long stepCount() {
        return stepCount;
    }

    void setStepCount(long count) {
        this.stepCount = count;
    }

    /**
     * Returns the problem.
     *
     * @return the problem
     */
    public ConstrainedMinimizationProblem<B> problem() {
        return problem;
    }

    /**
     * Returns the primal side.
     *
     * @return the primal optimizer
     */
    public PrimalOptimizer primal() {
        return primal;
    }

    /**
     * Returns the dual side (optimizer settings and restarts).
     *
     * @return the dual ascent
     */
    public DualAscent dual() {
        return dual;
    }

    /**
     * Returns the problem's constraints in order.
     *
     * @return an unmodifiable list
     */
    public List<Constraint> constraints() {
        return constraints;
    }

    /**
     * Returns a snapshot of the dual-optimizer state of one constraint: a copy, which later steps do not
     * change and whose changes do not reach this optimizer (the live state is written only by its dual
     * optimizer and restored by {@link OptimizerCheckpoint}).
     *
     * @param constraint a constraint of the problem
     * @return a copy of its state
     */
    public DualOptimizerState dualState(Constraint constraint) {
        return duals.state(constraint).copy();
    }

    /** Overwrites the live dual-optimizer state of a constraint (checkpoint restore). */
    void restoreDualState(Constraint constraint, DualOptimizerState state) {
        duals.state(constraint).load(state);
    }

    /**
     * Returns the learned slack of a relaxed constraint (live), or {@code null} if it is not relaxed.
     *
     * @param constraint a constraint of the problem
     * @return its slack or null
     */
    public Slack slack(Constraint constraint) {
        return duals.slack(constraint);
    }

    /**
     * Returns the multiplier model of a constraint, or {@code null} if its multipliers are free.
     *
     * @param constraint a constraint of the problem
     * @return its model or null
     */
    public MultiplierModel multiplierModel(Constraint constraint) {
        return duals.model(constraint);
    }

    /**
     * Judges every constraint the problem observes on {@code batch} (e.g. the whole held-out set):
     * evaluates the strict violations without gradients and compares each entry, less its slack if
     * relaxed, with its tolerance. Changes no state.
     *
     * @param batch the evaluation batch
     * @param tolerance the tolerances
     * @return the per-entry verdicts
     */
    public FeasibilityReport feasibility(B batch, FeasibilityTolerance tolerance) {
        if (tolerance == null) {
            throw new IllegalArgumentException("tolerance must not be null");
        }
        try (NDScope ignored = new NDScope()) {
            CmpState state = problem.computeViolations(batch);
            return duals.report(stepCount, ConstraintObservations.observe(state, duals.known()), tolerance);
        }
    }

    /**
     * Evaluates the problem with gradients, optionally performs the dual step before building the
     * primal Lagrangian (dual-first schemes), and runs backward.
     *
     * @param batch the batch
     * @param dualFirst whether to update the multipliers before forming the primal terms
     * @return the JVM values of the evaluation
     */
    protected Evaluation forwardBackward(B batch, boolean dualFirst) {
        try (NDScope ignored = new NDScope();
                GradientCollector gc = primal.newGradientCollector()) {
            CmpState state = problem.computeCmpState(batch);
            List<Observation> obs = duals.observe(state);
            if (dualFirst) {
                dualStep(obs, true);
            }
            // a feasibility problem (Ramirez et al., "Feasible learning", AISTATS 2025) has no objective: f = 0
            NDArray total = state.loss();
            boolean graphTerms = false;
            float[] closedValues = null;
            int closed = 0;
            for (Map.Entry<Constraint, ConstraintState> e : state.observedConstraints().entrySet()) {
                if (e.getValue().contributesToPrimal()) {
                    ClosedFormTerm cf = duals.closedFormTerm(e.getKey(), e.getValue(), observationOf(obs, e.getKey()));
                    if (cf != null) {
                        // outside the graph: the problem back-propagates ∂L/∂g itself
                        e.getValue().gradientSink().accept(cf.gradient());
                        if (closedValues == null) {
                            closedValues = new float[state.observedConstraints().size()];
                        }
                        closedValues[closed++] = cf.value();
                        continue;
                    }
                    NDArray term = duals.primalTerm(e.getKey(), e.getValue());
                    total = total == null ? term : total.add(term);
                    graphTerms = true;
                }
            }
            if (total == null && closed == 0) {
                throw new IllegalStateException(
                        "computeCmpState returned no loss and no constraint that contributes to the primal");
            }
            double loss = state.loss() == null ? 0.0 : ConstraintObservations.scalar(state.loss());
            double lagrangian;
            if (closed == 0) {
                lagrangian = ConstraintObservations.scalar(total);
            } else {
                // the engine's float sum: the graph's total, then the closed-form terms in order
                float sum = graphTerms ? (float) ConstraintObservations.scalar(total) : (float) loss;
                for (int i = 0; i < closed; i++) {
                    sum = total == null && i == 0 ? closedValues[0] : sum + closedValues[i];
                }
                lagrangian = sum;
            }
            if (total != null) {
                gc.backward(total);
            }
            return new Evaluation(loss, lagrangian, obs);
        }
    }

    /** The observation of constraint {@code c} in {@code obs}, or null. */
    private static Observation observationOf(List<Observation> obs, Constraint c) {
        for (Observation o : obs) {
            if (o.constraint() == c) {
                return o;
            }
        }
        return null;
    }

    /**
     * Evaluates only the violations, without gradients (alternating primal-dual re-evaluation).
     *
     * @param batch the batch
     * @return the JVM values (loss NaN if the problem returned none)
     */
    protected Evaluation evaluateViolations(B batch) {
        try (NDScope ignored = new NDScope()) {
            CmpState state = problem.computeViolations(batch);
            double loss = state.loss() == null ? Double.NaN : ConstraintObservations.scalar(state.loss());
            return new Evaluation(loss, Double.NaN, duals.observe(state));
        }
    }

    /**
     * Performs the dual step for every observation that contributes to the dual.
     *
     * @param observations the observations
     * @param updatePenalty whether penalty coefficients are updated too
     */
    protected void dualStep(List<Observation> observations, boolean updatePenalty) {
        duals.step(observations, updatePenalty);
    }

    /**
     * Builds the immutable record of a step.
     *
     * @param step the step number
     * @param primalEval the evaluation that gave the primal gradient
     * @param dualEval the evaluation that drove the dual update
     * @return the record
     */
    protected StepRecord record(long step, Evaluation primalEval, Evaluation dualEval) {
        return ConstraintObservations.record(step, primalEval, dualEval, constraints);
    }

    /**
     * Copies all multiplier values (for look-ahead schemes); the slacks of relaxed constraints are
     * saved alongside and restored by {@link #restoreMultipliers}.
     *
     * @return constraint to values
     */
    protected Map<Constraint, double[]> snapshotMultipliers() {
        return duals.snapshot(constraints);
    }

    /**
     * Restores multiplier values saved by {@link #snapshotMultipliers()}.
     *
     * @param snapshot the saved values
     */
    protected void restoreMultipliers(Map<Constraint, double[]> snapshot) {
        duals.restore(snapshot);
    }
}
