package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.dual.DualOptimizerState;
import io.github.lagrange4j.constrained.feasibility.ConstraintVerdict;
import io.github.lagrange4j.constrained.feasibility.FeasibilityReport;
import io.github.lagrange4j.constrained.feasibility.FeasibilityTolerance;
import io.github.lagrange4j.constrained.formulation.ClosedFormTerm;
import io.github.lagrange4j.constrained.formulation.Formulation;
import io.github.lagrange4j.constrained.multiplier.MultiplierModel;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import io.github.lagrange4j.constrained.relaxation.Slack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dual side of a constrained optimizer (package-internal): per constraint, the state of its dual
 * optimizer (its own or the shared one, see {@link DualAscent#optimizerFor}), the slack of a relaxed
 * constraint, and the model of model-given multipliers.
 *
 * <p>Relaxed constraints: the observed violation {@code g} becomes {@code g - u} for the dual and
 * for the primal term; after the multiplier step the slack descends with the multipliers of the
 * start of the step (see {@link Relaxation}).
 */
final class DualVariables {

    private final Map<Constraint, DualOptimizerState> states = new IdentityHashMap<>();
    private final Map<Constraint, Slack> slacks = new IdentityHashMap<>();
    private final Map<Constraint, MultiplierModel> models = new IdentityHashMap<>();

    private final DualAscent dual;
    private Map<Constraint, double[]> slackSnapshot;

    DualVariables(List<Constraint> constraints, DualAscent dual, Map<String, Relaxation> relaxations,
            Map<String, MultiplierModel> multiplierModels) {
        this.dual = dual;
        Set<String> names = new HashSet<>();
        for (Constraint c : constraints) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(
                        "constraint names must be unique, '" + c.name() + "' repeats");
            }
        }
        for (String name : relaxations.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        "relaxations names constraint '" + name + "', which problem.constraints() does not list");
            }
        }
        for (String name : multiplierModels.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        "multiplierModels names constraint '" + name + "', which problem.constraints() does not list");
            }
        }
        for (Constraint c : constraints) {
            states.put(c, dual.init(c));
            Relaxation r = relaxations.get(c.name());
            if (r != null) {
                if (c.type() != ConstraintType.INEQUALITY || c.multiplier() == null) {
                    throw new IllegalArgumentException("relaxation of '" + c.name()
                            + "' needs an INEQUALITY constraint with multipliers, got " + c);
                }
                slacks.put(c, new Slack(r, c.size()));
            }
            MultiplierModel model = multiplierModels.get(c.name());
            if (model != null) {
                if (c.multiplier() == null || r != null) {
                    throw new IllegalArgumentException("multiplier model of '" + c.name()
                            + "' needs a constraint with multipliers and without relaxation, got " + c);
                }
                if (model.size() != c.size()) {
                    throw new IllegalArgumentException("multiplier model of '" + c.name() + "' has features for "
                            + model.size() + " constraints, the constraint has " + c.size());
                }
                models.put(c, model);
            }
        }
    }

    MultiplierModel model(Constraint c) {
        state(c);
        return models.get(c);
    }

    boolean hasModels() {
        return !models.isEmpty();
    }

    private void refresh(Constraint c, MultiplierModel model, int[] indices) {
        double[] v = model.values(c.type(), indices);
        for (int j = 0; j < indices.length; j++) {
            c.multiplier().set(indices[j], v[j]);
        }
    }

    Set<Constraint> known() {
        return states.keySet();
    }

    DualOptimizerState state(Constraint c) {
        DualOptimizerState s = states.get(c);
        if (s == null) {
            throw new IllegalArgumentException(
                    "constraint '" + c.name() + "' is not listed in problem.constraints()");
        }
        return s;
    }

    Slack slack(Constraint c) {
        state(c);
        return slacks.get(c);
    }

    /** Observes a state and subtracts the slack of relaxed constraints from their dual violations. */
    List<Observation> observe(CmpState state) {
        List<Observation> raw = ConstraintObservations.observe(state, states.keySet());
        for (Observation o : raw) {
            MultiplierModel model = models.get(o.constraint());
            if (model != null) {
                refresh(o.constraint(), model, o.indices());
            }
        }
        if (slacks.isEmpty()) {
            return raw;
        }
        List<Observation> out = new ArrayList<>(raw.size());
        for (Observation o : raw) {
            Slack s = slacks.get(o.constraint());
            out.add(s == null ? o : new Observation(o.constraint(), o.indices(),
                    s.relax(o.indices(), o.dualViolation()), o.contributesToDual()));
        }
        return List.copyOf(out);
    }

    /**
     * The primal term of a constraint in closed form, outside the graph, where its state has a gradient sink, its
     * formulation a closed form ({@link Formulation#closedFormTerm}),
     * its violation is float32 and the same array drives the dual (no strict violation), and it has no slack;
     * null otherwise (the term then goes through the graph, {@link #primalTerm}).
     *
     * @param c the constraint
     * @param s its state on this evaluation
     * @param o its observation on this evaluation (the violation's values, widened exactly)
     * @return the term and its gradient in the violation, or null
     */
    ClosedFormTerm closedFormTerm(Constraint c, ConstraintState s,
            Observation o) {
        if (s.gradientSink() == null || s.strictViolation() != null || slacks.containsKey(c) || o == null
                || s.violation().getDataType() != DataType.FLOAT32) {
            return null;
        }
        int[] idx = o.indices();
        double[] raw = o.dualViolation();
        float[] g = new float[raw.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = (float) raw[j]; // exact: the values are float32 widened
        }
        float[] lambda = null;
        if (c.formulation().usesMultiplier()) {
            if (c.multiplier() == null) {
                return null;
            }
            lambda = c.multiplier().floatValues(idx); // what the graph's term multiplies by
        }
        float[] penalty = c.penaltyCoefficient() == null ? null : narrowed(c.penaltyCoefficient().values(idx));
        ClosedFormTerm term = c.formulation().closedFormTerm(c.type(), g, lambda, penalty);
        if (term != null && term.gradient().length != g.length) {
            throw new IllegalStateException(c.formulation() + " gave " + term.gradient().length
                    + " gradient entries for the " + g.length + " observed entries of '" + c.name() + "'");
        }
        return term;
    }

    private static float[] narrowed(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** The primal term of a constraint, its violation shifted by the slack if relaxed. */
    NDArray primalTerm(Constraint c, ConstraintState s) {
        Slack slack = slacks.get(c);
        if (slack == null) {
            return ConstraintObservations.primalTerm(c, s);
        }
        NDArray g = s.violation();
        int[] idx = c.multiplier().observedIndices(s);
        double[] u = new double[idx.length];
        for (int j = 0; j < idx.length; j++) {
            u[j] = slack.value(idx[j]);
        }
        NDArray uArr = g.getManager().create(u, g.getShape());
        if (uArr.getDataType() != g.getDataType()) {
            uArr = uArr.toType(g.getDataType(), false);
        }
        ConstraintState shifted = new ConstraintState(g.sub(uArr), s.strictViolation(), s.constraintIndices(),
                s.contributesToPrimal(), s.contributesToDual());
        return ConstraintObservations.primalTerm(c, shifted);
    }

    /** The dual step of every observation that contributes to the dual, then the slack step. */
    void step(List<Observation> observations, boolean updatePenalty) {
        for (Observation o : observations) {
            if (!o.contributesToDual()) {
                continue;
            }
            Constraint c = o.constraint();
            MultiplierModel model = models.get(c);
            if (model != null) {
                model.ascend(c.type(), o.indices(), o.dualViolation());
                refresh(c, model, o.indices());
                if (c.penaltyCoefficient() != null && updatePenalty) {
                    c.penaltyCoefficient().update(o.indices(), o.dualViolation(), c.type());
                }
                continue;
            }
            Slack slack = slacks.get(c);
            double[] lambdaBefore = slack == null ? null : c.multiplier().values(o.indices());
            dual.step(c, states.get(c), o.indices(), o.dualViolation(), updatePenalty);
            if (slack != null) {
                slack.descend(o.indices(), lambdaBefore);
            }
        }
    }

    /** Judges the observed entries; {@code observations} are raw (not relaxed) ones. */
    FeasibilityReport report(long step, List<Observation> observations, FeasibilityTolerance tolerance) {
        List<ConstraintVerdict> verdicts = new ArrayList<>();
        for (Observation o : observations) {
            Constraint c = o.constraint();
            Slack slack = slacks.get(c);
            double tol = tolerance.forConstraint(c.name());
            for (int j = 0; j < o.indices().length; j++) {
                int i = o.indices()[j];
                double u = slack == null ? 0 : slack.value(i);
                verdicts.add(new ConstraintVerdict(c.name(), i, c.type(), o.dualViolation()[j], u, tol));
            }
        }
        return new FeasibilityReport(step, verdicts);
    }

    /**
     * Copies the multiplier values of {@code constraints} and keeps a copy of every slack, for a look-ahead
     * step that {@link #restore} undoes.
     *
     * @param constraints the constraints
     * @return constraint to multiplier values
     */
    Map<Constraint, double[]> snapshot(List<Constraint> constraints) {
        slackSnapshot = new IdentityHashMap<>();
        slacks.forEach((c, s) -> slackSnapshot.put(c, s.values()));
        Map<Constraint, double[]> m = new IdentityHashMap<>();
        for (Constraint c : constraints) {
            if (c.multiplier() != null) {
                m.put(c, c.multiplier().values());
            }
        }
        return m;
    }

    /**
     * Puts back multiplier values taken by {@link #snapshot} and the slacks as they were then.
     *
     * @param multipliers constraint to multiplier values
     */
    void restore(Map<Constraint, double[]> multipliers) {
        multipliers.forEach((c, v) -> c.multiplier().load(v));
        if (slackSnapshot != null) {
            slackSnapshot.forEach((c, v) -> slacks.get(c).load(v));
        }
    }
}
