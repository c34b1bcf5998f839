package io.github.lagrange4j.constrained.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.util.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Aggregating a data-dependent constraint over the shards of a batch (what data-parallel training over several
 * devices needs) gives the whole batch's loss, violations, gradients and dual steps: logistic regression on 400
 * generated examples with the positive-prediction rate bounded by 0.3, split into four uneven shards on the CPU
 * (the only device here; each shard's arrays are moved to the first shard's device, a no-op on one device).
 */
class ShardedProblemTest {

    static final int N = 400;
    static final double BOUND = 0.3;
    static final int[] CUTS = {0, 70, 200, 333, N};

    /** A range of example indices [from, to). */
    record Range(int from, int to) {}

    private static final class Fixture implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        final NDArray x;
        final NDArray y;
        final NDArray w = manager.zeros(new Shape(2));
        final NDArray bias = manager.zeros(new Shape(1));
        final Constraint rate = Constraint.inequality("positiveRate", 1);

        Fixture() {
            Random rng = new Random(3);
            float[] features = new float[N * 2];
            float[] labels = new float[N];
            for (int i = 0; i < N; i++) {
                double x1 = rng.nextGaussian() + 0.5;
                double x2 = rng.nextGaussian();
                features[2 * i] = (float) x1;
                features[2 * i + 1] = (float) x2;
                labels[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(2 * x1 - x2))) ? 1f : 0f;
            }
            x = manager.create(features, new Shape(N, 2));
            y = manager.create(labels);
            w.setRequiresGradient(true);
            bias.setRequiresGradient(true);
        }

        /** The problem on a range: mean cross-entropy, rate = mean sigmoid - 0.3 (strict: mean 1[z > 0] - 0.3). */
        ConstrainedMinimizationProblem<Range> problem() {
            return new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Range r) {
                    NDArray xs = x.get(r.from() + ":" + r.to());
                    NDArray ys = y.get(r.from() + ":" + r.to());
                    NDArray z = xs.matMul(w.reshape(2, 1)).reshape(r.to() - r.from()).add(bias);
                    NDArray loss = z.exp().add(1).log().sub(ys.mul(z)).mean();
                    NDArray proxy = z.getNDArrayInternal().sigmoid().mean().sub(BOUND);
                    NDArray strict = z.gt(0).toType(DataType.FLOAT32, false).mean().sub(BOUND);
                    return CmpState.of(loss, rate, ConstraintState.of(proxy, strict));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(rate);
                }
            };
        }

        ConstrainedMinimizationProblem<Range> sharded() {
            return new ShardedProblem<Range, Range>(problem(), r -> {
                List<ShardedProblem.Shard<Range>> shards = new ArrayList<>();
                for (int i = 0; i + 1 < CUTS.length; i++) {
                    shards.add(new ShardedProblem.Shard<>(new Range(CUTS[i], CUTS[i + 1]), CUTS[i + 1] - CUTS[i]));
                }
                return shards;
            });
        }

        ConstrainedOptimizer<Range> optimizer(ConstrainedMinimizationProblem<Range> problem) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", bias);
            return ConstrainedOptimizer.<Range>builder().setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(
                            StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), params))
                    .setDualOptimizer(DualSgd.of(0.5)).build();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void shardedStateAndGradientsEqualTheWholeBatch() {
        double[] whole;
        double[] sharded;
        // one fixture each: gradients accumulate across collectors on the same arrays
        try (Fixture f = new Fixture()) {
            f.w.set(new float[] {0.7f, -0.4f}); // a non-trivial point
            whole = evaluate(f, f.problem());
        }
        try (Fixture f = new Fixture()) {
            f.w.set(new float[] {0.7f, -0.4f});
            sharded = evaluate(f, f.sharded());
        }
        assertThat(whole[1] + BOUND).as("the rate bites").isGreaterThan(BOUND + 0.1);
        assertThat(Math.abs(whole[3])).as("a gradient to compare").isGreaterThan(1e-3);
        for (int i = 0; i < whole.length; i++) {
            assertThat(sharded[i]).as("component " + i).isCloseTo(whole[i], within(1e-6));
        }
    }

    /** loss, violation, strict violation, d(loss + violation)/dw (2), d/db. */
    private static double[] evaluate(Fixture f, ConstrainedMinimizationProblem<Range> problem) {
        try (NDManager scope = f.manager.newSubManager(); GradientCollector gc = f.manager.getEngine().newGradientCollector()) {
            CmpState s = problem.computeCmpState(new Range(0, N));
            ConstraintState c = s.observedConstraints().get(f.rate);
            NDArray objective = s.loss().add(c.violation().sum());
            gc.backward(objective);
            float[] gw = f.w.getGradient().toFloatArray();
            float[] gb = f.bias.getGradient().toFloatArray();
            return new double[] {number(s.loss()), number(c.violation()), number(c.strictViolation()), gw[0], gw[1],
                gb[0]};
        }
    }

    private static double number(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void trainingOnShardsFollowsTheWholeBatchStepByStep() {
        double[] whole;
        double[] sharded;
        try (Fixture f = new Fixture()) {
            whole = train(f, f.problem());
        }
        try (Fixture f = new Fixture()) {
            sharded = train(f, f.sharded());
        }
        // w, b, lambda, final strict rate
        assertThat(whole[2]).as("the multiplier moved").isGreaterThan(0.05);
        assertThat(whole[3]).as("the rate ends within its bound").isLessThanOrEqualTo(BOUND + 0.01);
        for (int i = 0; i < whole.length; i++) {
            assertThat(sharded[i]).as("component " + i).isCloseTo(whole[i], within(1e-4));
        }
    }

    private static double[] train(Fixture f, ConstrainedMinimizationProblem<Range> problem) {
        ConstrainedOptimizer<Range> opt = f.optimizer(problem);
        StepRecord last = null;
        for (int t = 0; t < 300; t++) {
            last = opt.step(new Range(0, N));
        }
        return new double[] {f.w.getFloat(0), f.bias.getFloat(0), f.rate.multiplier().value(0),
            last.violation("positiveRate")[0] + BOUND};
    }

    @Test
    void shardsObservingDifferentConstraintsAreRefused() {
        try (Fixture f = new Fixture(); NDManager scope = f.manager.newSubManager()) {
            Constraint other = Constraint.inequality("other", 1);
            ConstrainedMinimizationProblem<Integer> uneven = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Integer shard) {
                    NDArray v = Scalars.constant(f.w, 0.1).sum();
                    return CmpState.of(v, shard == 0 ? f.rate : other, ConstraintState.of(v));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(f.rate, other);
                }
            };
            ShardedProblem<Void, Integer> p = new ShardedProblem<>(uneven,
                    b -> List.of(new ShardedProblem.Shard<>(0, 1), new ShardedProblem.Shard<>(1, 1)));
            assertThatThrownBy(() -> p.computeCmpState(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shard 1 observes [other], shard 0 observes [positiveRate]");
            assertThatThrownBy(() -> new ShardedProblem.Shard<>(0, 0)).hasMessageContaining("shard weight");
        }
    }

    @Test
    void aDataIndependentTermIsEvaluatedOnceOnTheFirstShardWithWeightOne() {
        try (Fixture f = new Fixture(); NDManager scope = f.manager.newSubManager()) {
            f.w.set(new float[] {0.7f, -0.4f});
            Constraint size = Constraint.inequality("size", 1);
            List<Range> seen = new ArrayList<>();
            ConstrainedMinimizationProblem<Range> budget = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Range r) {
                    seen.add(r);
                    // |w|^2 - 0.5 and a penalty 0.1 |w|^2: no data in them
                    NDArray norm = f.w.square().sum();
                    return CmpState.of(norm.mul(0.1f), size, ConstraintState.of(norm.sub(0.5f)));
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(size);
                }
            };
            ShardedProblem<Range, Range> sharded = new ShardedProblem<>(f.problem(), budget, r -> {
                List<ShardedProblem.Shard<Range>> shards = new ArrayList<>();
                for (int i = 0; i + 1 < CUTS.length; i++) {
                    shards.add(new ShardedProblem.Shard<>(new Range(CUTS[i], CUTS[i + 1]), CUTS[i + 1] - CUTS[i]));
                }
                return shards;
            });
            assertThat(sharded.constraints()).containsExactly(f.rate, size);
            CmpState whole = f.problem().computeCmpState(new Range(0, N));
            CmpState s = sharded.computeCmpState(new Range(0, N));
            assertThat(seen).containsExactly(new Range(0, 70));
            double norm = 0.7 * 0.7 + 0.4 * 0.4;
            assertThat(number(s.observedConstraints().get(size).violation())).isCloseTo(norm - 0.5, within(1e-6));
            assertThat(number(s.loss())).isCloseTo(number(whole.loss()) + 0.1 * norm, within(1e-6));
            assertThat(number(s.observedConstraints().get(f.rate).violation()))
                    .isCloseTo(number(whole.observedConstraints().get(f.rate).violation()), within(1e-6));

            assertThatThrownBy(() -> new ShardedProblem<Range, Range>(f.problem(), f.problem(), r -> List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("constraint positiveRate is listed by both the per-shard and the once-per-batch problem");
        }
    }
}
