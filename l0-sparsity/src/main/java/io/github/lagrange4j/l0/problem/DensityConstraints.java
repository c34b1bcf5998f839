package io.github.lagrange4j.l0.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.constraint.ViolationGradientSink;
import io.github.lagrange4j.constrained.util.ScalarArrays;
import io.github.lagrange4j.constrained.util.SharedConstants;
import io.github.lagrange4j.l0.account.ExpectedCost;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;

/**
 * Factories for the L0 constraints of Gallego-Posada, Ramirez et al., "Controlled Sparsity via
 * Constrained Optimization" (NeurIPS 2022), as inequality constraints {@code g ≤ 0}.
 *
 * <pre>
 *   model-wise:  g = density(all gated layers) − ε                    (size 1)
 *   layer-wise:  g_k = density_k − ε_k, one per gated layer           (size L)
 *   MAC budget:  g = E[MACs] / MACs(dense network) − ε                (size 1)
 * </pre>
 *
 * <p>Densities are expected, parameter-weighted densities ({@link ExpectedCost}); the violation is
 * differentiable in log α, and is also used for the dual update (as in the reference code). The
 * one-argument factories create a Lagrangian constraint with multipliers starting at 0; the
 * overloads taking a {@link Constraint} use it as given (any formulation), after checking its type
 * and size.
 */
public final class DensityConstraints {

    /** Default name of the model-wise constraint. */
    public static final String MODEL_DENSITY = "l0_model_density";
    /** Default name of the layer-wise constraint. */
    public static final String LAYER_DENSITY = "l0_layer_density";
    /** Default name of the MAC budget constraint. */
    public static final String MAC_BUDGET = "l0_expected_macs";

    private DensityConstraints() {}

    /**
     * Creates the model-wise constraint {@code density ≤ ε} with a Lagrangian formulation.
     *
     * @param network the gated network
     * @param epsilon the target density in {@code [0, 1]}
     * @param <B> the batch type
     * @return the constraint term
     */
    public static <B> ConstraintTerm<B> modelWise(GatedNetwork network, double epsilon) {
        return modelWise(network, epsilon, Constraint.inequality(MODEL_DENSITY, 1));
    }

    /**
     * Creates the model-wise constraint {@code density ≤ ε} with a given constraint object.
     *
     * @param network the gated network
     * @param epsilon the target density in {@code [0, 1]}
     * @param constraint an inequality constraint of size 1
     * @param <B> the batch type
     * @return the constraint term
     */
    public static <B> ConstraintTerm<B> modelWise(
            GatedNetwork network, double epsilon, Constraint constraint) {
        checkEpsilon("epsilon", epsilon);
        check(constraint, 1);
        float eps = (float) epsilon;
        return stateTerm(constraint, network, m -> {
            NDArray violation = ExpectedCost.densityMinus(network, eps, m);
            ConstraintState state = ConstraintState.of(violation);
            // ∂(d − ε)/∂d = 1: the violation's gradient is the density's
            ViolationGradientSink sink = ExpectedCost.gradientSink(network, violation);
            return sink == null ? state : state.withGradientSink(sink);
        });
    }

    /**
     * Creates the layer-wise constraints {@code density_k ≤ ε_k} with a Lagrangian formulation.
     *
     * @param network the gated network
     * @param epsilons one target density in {@code [0, 1]} per gated layer, in data-flow order
     * @param <B> the batch type
     * @return the constraint term (one constraint group of size L)
     */
    public static <B> ConstraintTerm<B> layerWise(GatedNetwork network, double... epsilons) {
        return layerWise(network, Constraint.inequality(LAYER_DENSITY, network.size()), epsilons);
    }

    /**
     * Creates the layer-wise constraints {@code density_k ≤ ε_k} with a given constraint object.
     *
     * @param network the gated network
     * @param constraint an inequality constraint of size L (the number of gated layers)
     * @param epsilons one target density in {@code [0, 1]} per gated layer, in data-flow order
     * @param <B> the batch type
     * @return the constraint term
     */
    public static <B> ConstraintTerm<B> layerWise(
            GatedNetwork network, Constraint constraint, double... epsilons) {
        if (epsilons == null || epsilons.length != network.size()) {
            throw new IllegalArgumentException(
                    "epsilons must have one target per gated layer ("
                            + network.size()
                            + "), got "
                            + (epsilons == null ? 0 : epsilons.length));
        }
        for (int k = 0; k < epsilons.length; k++) {
            checkEpsilon("epsilons[" + k + "]", epsilons[k]);
        }
        check(constraint, network.size());
        float[] eps = new float[epsilons.length];
        for (int k = 0; k < eps.length; k++) {
            eps[k] = (float) epsilons[k];
        }
        return term(
                constraint,
                network,
                m -> {
                    NDArray d = ExpectedCost.layerDensities(network, m);
                    return d.sub(m.create(eps).toType(d.getDataType(), false));
                });
    }

    /**
     * Creates the budget {@code E[MACs] ≤ ε · MACs(dense)} with a Lagrangian formulation, as the
     * normalised violation {@code E[MACs] / MACs(dense) − ε}.
     *
     * @param network the gated network
     * @param fraction the allowed fraction ε of the dense network's MACs, in {@code [0, 1]}
     * @param <B> the batch type
     * @return the constraint term
     */
    public static <B> ConstraintTerm<B> macBudget(GatedNetwork network, double fraction) {
        return macBudget(network, fraction, Constraint.inequality(MAC_BUDGET, 1));
    }

    /**
     * Creates the MAC budget with a given constraint object.
     *
     * @param network the gated network
     * @param fraction the allowed fraction ε of the dense network's MACs, in {@code [0, 1]}
     * @param constraint an inequality constraint of size 1
     * @param <B> the batch type
     * @return the constraint term
     */
    public static <B> ConstraintTerm<B> macBudget(
            GatedNetwork network, double fraction, Constraint constraint) {
        checkEpsilon("fraction", fraction);
        check(constraint, 1);
        float total = network.totalMacs();
        float eps = (float) fraction;
        return term(constraint, network, m -> scaled(ExpectedCost.macs(network, m), 1.0 / total).sub(eps));
    }

    private static void checkEpsilon(String name, double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + epsilon);
        }
    }

    private static void check(Constraint constraint, int size) {
        if (constraint == null) {
            throw new IllegalArgumentException("constraint must not be null");
        }
        if (constraint.type() != ConstraintType.INEQUALITY) {
            throw new IllegalArgumentException(
                    "constraint '" + constraint.name() + "' must be an INEQUALITY, got "
                            + constraint.type());
        }
        if (constraint.size() != size) {
            throw new IllegalArgumentException(
                    "constraint '" + constraint.name() + "' must have size " + size + ", got "
                            + constraint.size());
        }
    }

    private static <B> ConstraintTerm<B> term(
            Constraint constraint, GatedNetwork network, java.util.function.Function<NDManager, NDArray> violation) {
        return stateTerm(constraint, network, m -> ConstraintState.of(violation.apply(m)));
    }

    private static <B> ConstraintTerm<B> stateTerm(Constraint constraint, GatedNetwork network,
            java.util.function.Function<NDManager, ConstraintState> state) {
        return new ConstraintTerm<>() {
            @Override
            public Constraint constraint() {
                return constraint;
            }

            @Override
            public List<GatedLayer> gates() {
                return network.layers();
            }

            @Override
            public ConstraintState computeState(B batch, NDManager manager) {
                return state.apply(manager);
            }

            @Override
            public String toString() {
                return "ConstraintTerm[" + constraint.name() + "]";
            }
        };
    }

    /** {@code x · c} with the constant kept alive until backward (see {@link ScalarArrays}). */
    private static NDArray scaled(NDArray x, double c) {
        return x.mul(SharedConstants.of(x, c));
    }
}
