package io.github.lagrange4j.constrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.List;

/** {@code min (x - 2)^2 s.t. x - 1 <= 0}, float64, x0 = 0: KKT point x* = 1, lambda* = 2. */
public final class ScalarProblem implements ConstrainedMinimizationProblem<Void> {

    private final NDArray x;
    private final Constraint constraint;

    /**
     * Creates the problem.
     *
     * @param manager owns x
     * @param constraint the (scalar, inequality) constraint to use
     */
    public ScalarProblem(NDManager manager, Constraint constraint) {
        this.x = manager.zeros(new Shape(), DataType.FLOAT64);
        x.setRequiresGradient(true);
        this.constraint = constraint;
    }

    /** @return x */
    public NDArray x() {
        return x;
    }

    /** @return the constraint */
    public Constraint constraint() {
        return constraint;
    }

    @Override
    public CmpState computeCmpState(Void batch) {
        return CmpState.of(x.sub(2).square(), constraint, ConstraintState.of(x.sub(1)));
    }

    @Override
    public List<Constraint> constraints() {
        return List.of(constraint);
    }
}
