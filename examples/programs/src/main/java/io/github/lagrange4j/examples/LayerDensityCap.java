package io.github.lagrange4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;
import io.github.lagrange4j.l0.problem.ConstraintTerm;

/**
 * A constraint written by a user of the library, next to the built-in L0 ones: the expected density of
 * one gated layer stays under a cap,
 *
 * <pre>
 *   g = (1/G) · Σ_g P(z_g ≠ 0) − cap ≤ 0        (G gates, each controlling the same number of weights)
 * </pre>
 *
 * <p>{@code P(z_g ≠ 0)} is the hard-concrete probability of Louizos et al. (ICLR 2018), differentiable in
 * the gate's log α, so the constrained optimizer pushes log α down with weight λ_cap while the cap is
 * violated and raises λ_cap by dual ascent. Implementing {@link ConstraintTerm} takes two methods: the
 * {@link Constraint} (name, type, multiplier: created once) and its state on a batch (the violation,
 * created in the step's manager). This one ignores the batch; a data-dependent constraint would use it.
 *
 * @param <B> the batch type of the problem
 */
public final class LayerDensityCap<B> implements ConstraintTerm<B> {

    private final Constraint constraint;
    private final GatedLayer layer;
    private final float cap;

    /**
     * Caps the expected density of one gated layer.
     *
     * @param name the constraint's name, unique within its problem
     * @param network the gated network
     * @param layer the index of the layer in {@code network}, in {@code [0, network.size())}
     * @param cap the highest allowed density, in {@code [0, 1]}
     * @throws IllegalArgumentException naming the argument if it is out of range
     */
    public LayerDensityCap(String name, GatedNetwork network, int layer, double cap) {
        if (layer < 0 || layer >= network.size()) {
            throw new IllegalArgumentException(
                    "layer must be in [0, " + network.size() + "), got " + layer);
        }
        if (!(cap >= 0 && cap <= 1)) {
            throw new IllegalArgumentException("cap must be in [0, 1], got " + cap);
        }
        this.layer = network.layers().get(layer);
        this.cap = (float) cap;
        this.constraint = Constraint.inequality(name, 1);
    }

    @Override
    public Constraint constraint() {
        return constraint;
    }

    @Override
    public ConstraintState computeState(B batch, NDManager manager) {
        NDArray density = layer.probabilityNonZero(manager).mean();
        return ConstraintState.of(density.sub(cap).reshape(1));
    }
}
