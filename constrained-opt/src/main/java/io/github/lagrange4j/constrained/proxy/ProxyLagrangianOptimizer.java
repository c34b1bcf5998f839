package io.github.lagrange4j.constrained.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.optim.OptimizerCheckpoint;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimises a constrained problem with the proxy-Lagrangian formulation (Cotter, Jiang, Sridharan,
 * "Two-player games for efficient non-convex constrained optimization", ALT 2019, Definition 2 and
 * Algorithm 2): no Lagrange multipliers, but a distribution {@code q} over the objective and the
 * {@code m} constraint entries.
 *
 * <p>Step {@code t}: evaluate {@code f(x_t)}, the proxy violations {@code g~(x_t)} and the strict ones
 * {@code g(x_t)}; primal: {@code x_{t+1} = PrimalOpt(x_t, grad_x [q_0 f + sum_j q_j g~_j])}; weights:
 * {@link ProxyLagrangianState#update} with the strict {@code g(x_t)} (swap-regret state: {@code q} is
 * the stationary vector of a left-stochastic matrix). The constraints' own multipliers and
 * formulations are not used; every constraint must be a dense inequality observed on every step (write
 * an equality as two inequalities). Each step's arrays are closed at its end.
 *
 * <p>Order of calls: construct, {@code step(batch)} repeatedly, {@link #save}/{@link #load} to
 * checkpoint. The non-convex game need not converge: select among snapshots with {@code
 * CandidateSelection}.
 *
 * @param <B> the batch type
 */
public final class ProxyLagrangianOptimizer<B> {

    private static final String MAGIC = "lagrange4j-proxy-lagrangian";
    private static final int VERSION = 2;

    private final ConstrainedMinimizationProblem<B> problem;
    private final PrimalOptimizer primal;
    private final List<Constraint> constraints;
    private final ProxyLagrangianState state;
    private final int numConstraints;
    private long stepCount;

    /**
     * Creates the optimizer.
     *
     * @param problem the problem; its constraints must be dense inequalities
     * @param primal the primal side
     * @param settings the weight player's settings
     */
    public ProxyLagrangianOptimizer(ConstrainedMinimizationProblem<B> problem, PrimalOptimizer primal,
            ProxyLagrangianSettings settings) {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (primal == null) {
            throw new IllegalArgumentException("primalOptimizer must not be null");
        }
        this.problem = problem;
        this.primal = primal;
        this.constraints = List.copyOf(problem.constraints());
        Set<String> names = new HashSet<>();
        int m = 0;
        for (Constraint c : constraints) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("constraint names must be unique, '" + c.name() + "' repeats");
            }
            if (c.type() != ConstraintType.INEQUALITY) {
                throw new IllegalArgumentException("the proxy-Lagrangian takes inequality constraints only; '"
                        + c.name() + "' is an equality (write it as two inequalities)");
            }
            m += c.size();
        }
        this.numConstraints = m;
        this.state = new ProxyLagrangianState(settings, m);
    }

    /**
     * Runs one step.
     *
     * @param batch the batch
     * @return the record; its multipliers are the constraints' weights {@code q_1..q_m} before the step
     */
    public StepRecord step(B batch) {
        double[] q = state.distribution();
        double[] strict = new double[numConstraints];
        Map<String, double[]> violations = new LinkedHashMap<>();
        Map<String, double[]> weights = new LinkedHashMap<>();
        double loss;
        double lagrangian;
        try (NDScope ignored = new NDScope();
                GradientCollector gc = primal.newGradientCollector()) {
            CmpState s = problem.computeCmpState(batch);
            NDArray total = s.loss() == null ? null : s.loss().mul(ScalarArrays.of(s.loss(), q[0]));
            int offset = 0;
            for (Constraint c : constraints) {
                ConstraintState cs = s.observedConstraints().get(c);
                if (cs == null || cs.constraintIndices() != null || cs.violation().size() != c.size()) {
                    throw new IllegalStateException("the proxy-Lagrangian needs every entry of '" + c.name()
                            + "' on every step (" + c.size() + " values, no constraintIndices)");
                }
                double[] w = java.util.Arrays.copyOfRange(q, 1 + offset, 1 + offset + c.size());
                NDArray g = cs.violation();
                NDArray wArr = g.getManager().create(w, g.getShape());
                NDArray term = g.mul(wArr.getDataType() == g.getDataType() ? wArr : wArr.toType(g.getDataType(), false))
                        .sum();
                total = total == null ? term : total.add(term);
                double[] v = toDoubles(cs.dualViolation());
                System.arraycopy(v, 0, strict, offset, v.length);
                violations.put(c.name(), v);
                weights.put(c.name(), w);
                offset += c.size();
            }
            lagrangian = toDoubles(total)[0];
            loss = s.loss() == null ? 0.0 : toDoubles(s.loss())[0];
            gc.backward(total);
        }
        primal.step();
        state.update(strict);
        problem.projectPrimal();
        stepCount++;
        return new StepRecord(stepCount, loss, lagrangian, violations, weights, Map.of());
    }

    /**
     * Returns the current weights {@code (q_0, q_1..q_m)}: objective first, then the constraints'
     * entries in the problem's order.
     *
     * @return the distribution
     */
    public double[] weights() {
        return state.distribution();
    }

    /**
     * Returns the weight player's state (live).
     *
     * @return the state
     */
    public ProxyLagrangianState state() {
        return state;
    }

    /**
     * Returns the number of completed steps.
     *
     * @return the step count
     */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Writes the step count, the weight player's state and the primal side's state ({@link
     * PrimalOptimizer#saveState}), bit for bit: {@code UTF "lagrange4j-proxy-lagrangian-v2"}, {@code long}
     * steps, the state, the primal state. Version 1 ({@code "lagrange4j-proxy-lagrangian"}, before the primal
     * side saved its own state) still loads.
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC + "-v" + VERSION);
        out.writeLong(stepCount);
        state.save(out);
        primal.saveState(out);
    }

    /**
     * Restores what {@link #save} wrote into an optimizer built like the original.
     *
     * @param in the stream
     * @param manager the manager for restored primal-optimizer buffers
     * @throws IOException on read failure or if the checkpoint does not fit
     */
    public void load(DataInputStream in, NDManager manager) throws IOException {
        String magic = in.readUTF();
        boolean legacy = MAGIC.equals(magic);
        if (!legacy && !(MAGIC + "-v" + VERSION).equals(magic)) {
            throw new IOException("not a lagrange4j proxy-Lagrangian checkpoint of version 1 or " + VERSION + ": '"
                    + magic + "'");
        }
        long steps = in.readLong();
        state.load(in);
        if (legacy) {
            OptimizerCheckpoint.loadLegacyPrimal(primal, in, manager);
        } else {
            primal.loadState(in, manager);
        }
        stepCount = steps;
    }

    private static double[] toDoubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray copy = a.toType(DataType.FLOAT64, false)) {
            return copy.toDoubleArray();
        }
    }
}
