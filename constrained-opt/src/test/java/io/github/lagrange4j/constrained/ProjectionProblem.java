package io.github.lagrange4j.constrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.formulation.Formulation;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code min ||x - a||^2 s.t. A x <= b, C x = d} in float64, the convex test problem with an exact
 * KKT solution. With INDEXED multipliers every step observes all rows, in an order rotated by the
 * step number (exercising the index mapping).
 */
public final class ProjectionProblem implements ConstrainedMinimizationProblem<Void> {

    /** Target. */
    public static final double[] A_TARGET = {1, 2, 3};
    /** Inequality rows: x1+x2+x3 <= 3 (active), x1 <= 5 (inactive), -x2 + x3 <= 0.5 (active). */
    public static final double[][] INEQ_A = {{1, 1, 1}, {1, 0, 0}, {0, -1, 1}};
    /** Inequality bounds. */
    public static final double[] INEQ_B = {3, 5, 0.5};
    /** Equality row x1 - x2 = 1... a single one. */
    public static final double[][] EQ_C = {{1, -1, 0}};
    /** Equality value. */
    public static final double[] EQ_D = {-0.5};

    private final NDArray x;
    private final NDArray a;
    private final NDArray ineqA;
    private final NDArray ineqB;
    private final NDArray eqC;
    private final NDArray eqD;
    private final Constraint ineq;
    private final Constraint eq;
    private final MultiplierKind kind;
    private long calls;

    /**
     * Creates the problem; x starts at 0.
     *
     * @param manager owns the problem's arrays
     * @param withIneq include the inequalities
     * @param withEq include the equality
     * @param formulation the formulation of both
     * @param kind the multiplier kind
     */
    public ProjectionProblem(
            NDManager manager, boolean withIneq, boolean withEq, Formulation formulation, MultiplierKind kind) {
        this.kind = kind;
        x = manager.zeros(new ai.djl.ndarray.types.Shape(3), ai.djl.ndarray.types.DataType.FLOAT64);
        x.setRequiresGradient(true);
        a = manager.create(A_TARGET);
        ineqA = manager.create(flatten(INEQ_A), new ai.djl.ndarray.types.Shape(3, 3));
        ineqB = manager.create(INEQ_B);
        eqC = manager.create(flatten(EQ_C), new ai.djl.ndarray.types.Shape(1, 3));
        eqD = manager.create(EQ_D);
        ineq = withIneq ? build("ineq", ConstraintType.INEQUALITY, 3, formulation, kind) : null;
        eq = withEq ? build("eq", ConstraintType.EQUALITY, 1, formulation, kind) : null;
    }

    private static Constraint build(String name, ConstraintType t, int n, Formulation f, MultiplierKind k) {
        return Constraint.builder().setName(name).setType(t).setSize(n).optFormulation(f)
                .optMultiplierKind(k).build();
    }

    private static double[] flatten(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    /** @return the primal variable */
    public NDArray x() {
        return x;
    }

    /** @return the inequality constraint or null */
    public Constraint ineq() {
        return ineq;
    }

    /** @return the equality constraint or null */
    public Constraint eq() {
        return eq;
    }

    @Override
    public List<Constraint> constraints() {
        List<Constraint> out = new ArrayList<>();
        if (ineq != null) {
            out.add(ineq);
        }
        if (eq != null) {
            out.add(eq);
        }
        return out;
    }

    @Override
    public CmpState computeCmpState(Void batch) {
        calls++;
        NDArray loss = x.sub(a).square().sum();
        Map<Constraint, ConstraintState> states = new LinkedHashMap<>();
        if (ineq != null) {
            states.put(ineq, state(ineqA.mul(x).sum(new int[] {1}).sub(ineqB), 3));
        }
        if (eq != null) {
            states.put(eq, state(eqC.mul(x).sum(new int[] {1}).sub(eqD), 1));
        }
        return new CmpState(loss, states);
    }

    private ConstraintState state(NDArray violation, int n) {
        if (kind == MultiplierKind.DENSE) {
            return ConstraintState.of(violation);
        }
        long[] order = new long[n];
        for (int j = 0; j < n; j++) {
            order[j] = (j + calls) % n;
        }
        NDArray idx = violation.getManager().create(order);
        return ConstraintState.of(violation.take(idx)).withIndices(idx);
    }
}
