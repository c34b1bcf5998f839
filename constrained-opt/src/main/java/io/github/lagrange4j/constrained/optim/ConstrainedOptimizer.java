package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizerState;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Map<Constraint, DualOptimizerState> dualStates = new IdentityHashMap<>();
    private long stepCount;

    /**
     * Creates the optimizer and initialises one dual state per constraint.
     *
     * @param config the configuration
     */
    protected ConstrainedOptimizer(Config<B> config) {
        this.problem = config.problem();
        this.primal = config.primal();
        this.dual = config.dual();
        this.constraints = List.copyOf(problem.constraints());
        Set<String> names = new HashSet<>();
        for (Constraint c : constraints) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(
                        "constraint names must be unique, '" + c.name() + "' repeats");
            }
            dualStates.put(c, dual.init(c));
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
     * Runs one step of the scheme.
     *
     * @param batch the batch (may be null for deterministic problems)
     * @return the record of this step
     */
    public final StepRecord step(B batch) {
        StepRecord r = doStep(batch, stepCount + 1);
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
     * Returns the dual-optimizer state of one constraint (live, owned by this optimizer).
     *
     * @param constraint a constraint of the problem
     * @return its state
     */
    public DualOptimizerState dualState(Constraint constraint) {
        DualOptimizerState s = dualStates.get(constraint);
        if (s == null) {
            throw new IllegalArgumentException(
                    "constraint '" + constraint.name() + "' is not listed in problem.constraints()");
        }
        return s;
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
            if (state.loss() == null) {
                throw new IllegalStateException("computeCmpState must return a loss, got null");
            }
            List<Observation> obs = ConstraintObservations.observe(state, dualStates.keySet());
            if (dualFirst) {
                dualStep(obs, true);
            }
            NDArray total = state.loss();
            for (Map.Entry<Constraint, ConstraintState> e : state.observedConstraints().entrySet()) {
                if (e.getValue().contributesToPrimal()) {
                    total = total.add(ConstraintObservations.primalTerm(e.getKey(), e.getValue()));
                }
            }
            double lagrangian = ConstraintObservations.scalar(total);
            double loss = ConstraintObservations.scalar(state.loss());
            gc.backward(total);
            return new Evaluation(loss, lagrangian, obs);
        }
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
            return new Evaluation(loss, Double.NaN, ConstraintObservations.observe(state, dualStates.keySet()));
        }
    }

    /**
     * Performs the dual step for every observation that contributes to the dual.
     *
     * @param observations the observations
     * @param updatePenalty whether penalty coefficients are updated too
     */
    protected void dualStep(List<Observation> observations, boolean updatePenalty) {
        for (Observation o : observations) {
            if (o.contributesToDual()) {
                dual.step(
                        o.constraint(),
                        dualStates.get(o.constraint()),
                        o.indices(),
                        o.dualViolation(),
                        updatePenalty);
            }
        }
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
        Map<String, double[]> violations = new LinkedHashMap<>();
        for (Observation o : dualEval.observations()) {
            violations.put(o.constraint().name(), o.dualViolation());
        }
        Map<String, double[]> multipliers = new LinkedHashMap<>();
        Map<String, double[]> penalties = new LinkedHashMap<>();
        for (Constraint c : constraints) {
            if (c.multiplier() != null) {
                multipliers.put(c.name(), c.multiplier().values());
            }
            if (c.penaltyCoefficient() != null) {
                penalties.put(c.name(), c.penaltyCoefficient().values());
            }
        }
        return new StepRecord(
                step, primalEval.loss(), primalEval.lagrangian(), violations, multipliers, penalties);
    }

    /**
     * Copies all multiplier values (for look-ahead schemes).
     *
     * @return constraint to values
     */
    protected Map<Constraint, double[]> snapshotMultipliers() {
        Map<Constraint, double[]> m = new IdentityHashMap<>();
        for (Constraint c : constraints) {
            if (c.multiplier() != null) {
                m.put(c, c.multiplier().values());
            }
        }
        return m;
    }

    /**
     * Restores multiplier values saved by {@link #snapshotMultipliers()}.
     *
     * @param snapshot the saved values
     */
    protected void restoreMultipliers(Map<Constraint, double[]> snapshot) {
        snapshot.forEach((c, v) -> c.multiplier().load(v));
    }

    /**
     * The immutable configuration of a constrained optimizer.
     *
     * @param problem the problem
     * @param primal the primal side
     * @param dual the dual side
     * @param <B> the batch type
     */
    public record Config<B>(
            ConstrainedMinimizationProblem<B> problem, PrimalOptimizer primal, DualAscent dual) {

        /** Validates the arguments. */
        public Config {
            if (problem == null) {
                throw new IllegalArgumentException("problem must not be null");
            }
            if (primal == null) {
                throw new IllegalArgumentException("primalOptimizer must not be null");
            }
            if (dual == null) {
                throw new IllegalArgumentException("dualOptimizer must not be null");
            }
        }
    }
}
