package io.github.lagrange4j.constrained.problem;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.util.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A problem evaluated on the shards of a batch (one per device in data-parallel training) whose loss and
 * constraint states are aggregated over the shards before the optimizer sees them, so that the primal gradient
 * and the dual step are those of the whole batch.
 *
 * <p>Rule: with shard weights {@code w_s} (e.g. their example counts) and {@code W = Σ w_s}, the loss is
 * {@code Σ (w_s / W) f_s} and every constraint's violation (and strict violation) is
 * {@code Σ (w_s / W) g_s}. For a loss or a rate that is a mean over the examples this is exactly the whole
 * batch's value; the multipliers therefore take one dual step per batch on the batch's violation, not one per
 * shard on a shard's. Each shard's arrays are moved to the first shard's device before they are summed (a
 * differentiable copy on the engines that support it), so the backward pass reaches every device's
 * parameters.
 *
 * <p>Requirements: every shard observes the same constraints with the same shapes; indexed states (with
 * constraint indices) are refused, as their entries need not line up across shards. Call order: the
 * optimizer calls {@link #computeCmpState}, which splits the batch, calls the per-shard problem once per
 * shard, and sums; then it calls the optional once-per-batch problem (terms that do not depend on the data,
 * such as a penalty or a budget on the parameters) on the first shard and adds its loss and states with
 * weight 1, so that they are counted once, not once per shard. Extra metrics ({@code misc}) are not passed on.
 *
 * @param <B> the batch type
 * @param <S> the shard type
 */
public final class ShardedProblem<B, S> implements ConstrainedMinimizationProblem<B> {

    /**
     * One shard of a batch.
     *
     * @param batch the shard
     * @param weight its weight, e.g. its number of examples, {@code > 0}
     * @param <S> the shard type
     */
    public record Shard<S>(S batch, double weight) {

        /** Checks the weight. */
        public Shard {
            if (!(weight > 0 && Double.isFinite(weight))) {
                throw new IllegalArgumentException("shard weight must be finite and > 0, got " + weight);
            }
        }
    }

    private final ConstrainedMinimizationProblem<S> perShard;
    private final ConstrainedMinimizationProblem<S> once;
    private final Function<B, List<Shard<S>>> splitter;
    private final List<Constraint> constraints;

    /**
     * Creates the sharded problem.
     *
     * @param perShard the problem on one shard
     * @param splitter splits a batch into its shards (at least one)
     */
    public ShardedProblem(ConstrainedMinimizationProblem<S> perShard, Function<B, List<Shard<S>>> splitter) {
        this(perShard, null, splitter);
    }

    /**
     * Creates the sharded problem with terms that do not depend on the data (a penalty or a budget on the
     * parameters): {@code once} is evaluated once per batch, on the first shard, and its loss and constraint
     * states enter with weight 1, so that such a term is counted once rather than once per shard (and computed
     * on the first shard's device only). Its constraints follow {@code perShard}'s in {@link #constraints()}.
     *
     * @param perShard the data-dependent part, evaluated on every shard
     * @param once the data-independent part, or null
     * @param splitter splits a batch into its shards (at least one)
     * @throws IllegalArgumentException if both parts list a constraint of the same name
     */
    public ShardedProblem(ConstrainedMinimizationProblem<S> perShard, ConstrainedMinimizationProblem<S> once,
            Function<B, List<Shard<S>>> splitter) {
        this.perShard = Objects.requireNonNull(perShard, "perShard");
        this.once = once;
        this.splitter = Objects.requireNonNull(splitter, "splitter");
        List<Constraint> all = new ArrayList<>(perShard.constraints());
        if (once != null) {
            for (Constraint c : once.constraints()) {
                if (all.stream().anyMatch(d -> d.name().equals(c.name()))) {
                    throw new IllegalArgumentException("constraint " + c.name()
                            + " is listed by both the per-shard and the once-per-batch problem");
                }
                all.add(c);
            }
        }
        this.constraints = List.copyOf(all);
    }

    @Override
    public CmpState computeCmpState(B batch) {
        return aggregate(batch, false);
    }

    @Override
    public CmpState computeViolations(B batch) {
        return aggregate(batch, true);
    }

    @Override
    public List<Constraint> constraints() {
        return constraints;
    }

    /** Projects through the per-shard problem (and the once-per-batch one), once per step. */
    @Override
    public void projectPrimal() {
        perShard.projectPrimal();
        if (once != null) {
            once.projectPrimal();
        }
    }

    private CmpState aggregate(B batch, boolean violationsOnly) {
        List<Shard<S>> shards = splitter.apply(batch);
        if (shards == null || shards.isEmpty()) {
            throw new IllegalArgumentException("the splitter returned no shard");
        }
        double total = shards.stream().mapToDouble(Shard::weight).sum();
        NDArray loss = null;
        Map<Constraint, NDArray[]> sums = new LinkedHashMap<>();
        Map<Constraint, ConstraintState> first = new LinkedHashMap<>();
        Device device = null;
        for (int i = 0; i < shards.size(); i++) {
            Shard<S> shard = shards.get(i);
            double share = shard.weight() / total;
            CmpState state = violationsOnly ? perShard.computeViolations(shard.batch())
                    : perShard.computeCmpState(shard.batch());
            if (i == 0) {
                first.putAll(state.observedConstraints());
            } else if (!state.observedConstraints().keySet().equals(first.keySet())) {
                throw new IllegalStateException("shard " + i + " observes " + names(state) + ", shard 0 observes "
                        + names(first.keySet()) + ": every shard must observe the same constraints");
            }
            if (state.loss() != null) {
                device = device == null ? state.loss().getDevice() : device;
                NDArray part = Scalars.mul(state.loss().toDevice(device, false), share);
                loss = loss == null ? part : loss.add(part);
            }
            for (Map.Entry<Constraint, ConstraintState> e : state.observedConstraints().entrySet()) {
                ConstraintState s = e.getValue();
                if (s.constraintIndices() != null) {
                    throw new IllegalStateException("constraint " + e.getKey().name() + ": indexed constraint states"
                            + " cannot be aggregated over shards");
                }
                device = device == null ? s.violation().getDevice() : device;
                NDArray v = Scalars.mul(s.violation().toDevice(device, false), share);
                NDArray strict = s.strictViolation() == null ? null
                        : Scalars.mul(s.strictViolation().toDevice(device, false), share);
                NDArray[] acc = sums.get(e.getKey());
                if (acc == null) {
                    sums.put(e.getKey(), new NDArray[] {v, strict});
                } else {
                    if (!acc[0].getShape().equals(v.getShape())) {
                        throw new IllegalStateException("constraint " + e.getKey().name() + ": shard " + i
                                + " has violation shape " + v.getShape() + ", shard 0 " + acc[0].getShape());
                    }
                    acc[0] = acc[0].add(v);
                    acc[1] = acc[1] == null || strict == null ? null : acc[1].add(strict);
                }
            }
        }
        Map<Constraint, ConstraintState> observed = new LinkedHashMap<>();
        for (Map.Entry<Constraint, NDArray[]> e : sums.entrySet()) {
            ConstraintState shape = first.get(e.getKey());
            observed.put(e.getKey(), new ConstraintState(e.getValue()[0], e.getValue()[1], null,
                    shape.contributesToPrimal(), shape.contributesToDual()));
        }
        if (once != null) {
            CmpState state = violationsOnly ? once.computeViolations(shards.get(0).batch())
                    : once.computeCmpState(shards.get(0).batch());
            if (state.loss() != null) {
                NDArray part = state.loss().toDevice(device == null ? state.loss().getDevice() : device, false);
                device = part.getDevice();
                loss = loss == null ? part : loss.add(part);
            }
            for (Map.Entry<Constraint, ConstraintState> e : state.observedConstraints().entrySet()) {
                ConstraintState s = e.getValue();
                if (observed.containsKey(e.getKey())) {
                    throw new IllegalStateException("constraint " + e.getKey().name()
                            + " is observed by both the per-shard and the once-per-batch problem");
                }
                Device d = device == null ? s.violation().getDevice() : device;
                observed.put(e.getKey(), new ConstraintState(s.violation().toDevice(d, false),
                        s.strictViolation() == null ? null : s.strictViolation().toDevice(d, false),
                        s.constraintIndices() == null ? null : s.constraintIndices().toDevice(d, false),
                        s.contributesToPrimal(), s.contributesToDual()));
            }
        }
        return new CmpState(loss, observed);
    }

    private static List<String> names(CmpState state) {
        return names(state.observedConstraints().keySet());
    }

    private static List<String> names(java.util.Collection<Constraint> constraints) {
        List<String> out = new ArrayList<>();
        constraints.forEach(c -> out.add(c.name()));
        return out;
    }
}
