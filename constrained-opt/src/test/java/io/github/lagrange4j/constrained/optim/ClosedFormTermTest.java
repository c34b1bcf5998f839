package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.formulation.AugmentedLagrangian;
import io.github.lagrange4j.constrained.formulation.ClosedFormTerm;
import io.github.lagrange4j.constrained.formulation.Formulation;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constraint whose violation the problem back-propagates itself ({@code ViolationGradientSink}): {@code min
 * Σ (x_i − a_i)² s.t. c·x − b ≤ 0}, float32, where the problem computes {@code s = c·x} outside the graph (a
 * leaf of value {@code c·x}) and adds {@code ∂L/∂s · c} to {@code x}'s gradient itself before the primal step.
 * With the Lagrangian, the optimizer leaves the term {@code λ (s − b)} out of the graph and hands the sink
 * {@code λ}; the iterates, multipliers and reported Lagrangian are then bit for bit those of the same problem
 * with the term in the graph. A formulation without a closed form takes the graph whatever the sink.
 */
class ClosedFormTermTest {

    private static final float[] A = {3f, -1f, 2f};
    private static final float[] C = {1f, 2f, 0.5f};
    private static final float B = 1f;
    private static final int STEPS = 300;

    /** What one run produced. */
    private record Trajectory(List<float[]> iterates, List<Double> lagrangians, List<Double> multipliers,
            int sinkCalls) {}

    @ParameterizedTest
    @MethodSource("io.github.lagrange4j.constrained.Engines#names")
    void theLagrangianOutsideTheGraphMatchesTheGraphBitForBit(String engine) {
        Trajectory graph = run(engine, Lagrangian.create(), false, false);
        Trajectory outside = run(engine, Lagrangian.create(), true, false);

        assertThat(outside.sinkCalls()).isEqualTo(STEPS);
        assertThat(graph.sinkCalls()).isZero();
        for (int t = 0; t < STEPS; t++) {
            assertThat(outside.iterates().get(t)).as("x after step %d", t + 1).isEqualTo(graph.iterates().get(t));
        }
        assertThat(outside.lagrangians()).isEqualTo(graph.lagrangians());
        assertThat(outside.multipliers()).isEqualTo(graph.multipliers());
        // and it heads for the KKT point: c·a = 2 > b, so x* = a − (λ*/2) c with λ* = 2 (c·a − b) / |c|² = 2 / 5.25
        float[] x = outside.iterates().get(STEPS - 1);
        assertThat((double) (x[0] * C[0] + x[1] * C[1] + x[2] * C[2])).isCloseTo(B, within(0.01));
        assertThat(outside.multipliers().get(STEPS - 1)).isCloseTo(2 / 5.25, within(0.01));
    }

    @Test
    void aFormulationWithoutAClosedFormTakesTheGraphAndNeverCallsTheSink() {
        AugmentedLagrangian al = AugmentedLagrangian.of(2.0);
        assertThat(al.closedFormTerm(ConstraintType.INEQUALITY, new float[] {1f}, new float[] {1f},
                new float[] {2f})).isNull();
        Trajectory graph = run(Engines.names().get(0), al, false, false);
        Trajectory withSink = run(Engines.names().get(0), al, true, false);

        assertThat(withSink.sinkCalls()).isZero();
        for (int t = 0; t < STEPS; t++) {
            assertThat(withSink.iterates().get(t)).isEqualTo(graph.iterates().get(t));
        }
    }

    @Test
    void aStateWhoseDualReadsAStrictViolationTakesTheGraph() {
        String engine = Engines.names().get(0);
        Trajectory graph = run(engine, Lagrangian.create(), false, true);
        Trajectory withSink = run(engine, Lagrangian.create(), true, true);

        assertThat(withSink.sinkCalls()).isZero();
        for (int t = 0; t < STEPS; t++) {
            assertThat(withSink.iterates().get(t)).isEqualTo(graph.iterates().get(t));
        }
    }

    @Test
    void theLagrangiansClosedFormIsItsTermAndMultiplier() {
        ClosedFormTerm one = Lagrangian.create().closedFormTerm(ConstraintType.INEQUALITY, new float[] {0.25f},
                new float[] {3f}, null);
        assertThat(one.value()).isEqualTo(0.75f);
        assertThat(one.gradient()).containsExactly(3f);

        ClosedFormTerm three = Lagrangian.create().closedFormTerm(ConstraintType.INEQUALITY,
                new float[] {1f, -2f, 0.5f}, new float[] {2f, 0f, 4f}, null);
        assertThat(three.value()).isEqualTo(4f);
        assertThat(three.gradient()).containsExactly(2f, 0f, 4f);
    }

    /**
     * The problem run for {@link #STEPS} simultaneous steps, its violation's gradient outside or in the graph, the
     * dual reading the violation or a strict violation of the same values.
     */
    private static Trajectory run(String engine, Formulation formulation, boolean sink, boolean strict) {
        try (NDManager m = Engines.manager(engine)) {
            NDArray x = m.zeros(new Shape(3), DataType.FLOAT32);
            x.setRequiresGradient(true);
            NDArray a = m.create(A);
            Constraint budget = Constraint.builder().setName("budget").setType(ConstraintType.INEQUALITY)
                    .setSize(1).optFormulation(formulation).build();
            // ∂L/∂s: read from the leaf after the backward pass, or handed to the sink before it
            float[] outside = new float[1];
            int[] calls = new int[1];
            List<NDArray> leaves = new ArrayList<>();
            ConstrainedMinimizationProblem<Void> problem = new ConstrainedMinimizationProblem<>() {
                @Override
                public CmpState computeCmpState(Void batch) {
                    float[] xv = x.toFloatArray();
                    float s = xv[0] * C[0] + xv[1] * C[1] + xv[2] * C[2];
                    NDArray leaf = m.create(s);
                    leaf.setRequiresGradient(true);
                    NDScope.unregister(leaf); // read after the step's scope has closed
                    leaves.add(leaf);
                    ConstraintState state = ConstraintState.of(leaf.sub(B));
                    if (strict) { // the dual reads another array (here of the same values)
                        state = state.withStrictViolation(m.create(s - B));
                    }
                    if (sink) {
                        state = state.withGradientSink(g -> {
                            calls[0]++;
                            outside[0] += g[0];
                        });
                    }
                    return CmpState.of(x.sub(a).square().sum(), budget, state);
                }

                @Override
                public List<Constraint> constraints() {
                    return List.of(budget);
                }
            };
            PrimalOptimizer sgd = ParameterOptimizer.of(
                    StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build(), x);
            // the problem's own chain rule, before the primal step: ∂L/∂x += ∂L/∂s · c
            PrimalOptimizer chained = new PrimalOptimizer() {
                @Override
                public GradientCollector newGradientCollector() {
                    return sgd.newGradientCollector();
                }

                @Override
                public void step() {
                    NDArray leaf = leaves.remove(0);
                    float ds;
                    try (leaf; NDArray g = leaf.getGradient()) {
                        ds = g.getFloat() + outside[0];
                    }
                    outside[0] = 0f;
                    try (NDArray grad = x.getGradient(); NDArray chain = m.create(C).mul(ds)) {
                        grad.addi(chain);
                    }
                    sgd.step();
                }

                @Override
                public List<NDArray> parameters() {
                    return sgd.parameters();
                }
            };
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(chained)
                    .setDualOptimizer(DualSgd.of(0.1))
                    .build();
            List<float[]> iterates = new ArrayList<>();
            List<Double> lagrangians = new ArrayList<>();
            List<Double> multipliers = new ArrayList<>();
            for (int t = 0; t < STEPS; t++) {
                StepRecord r = opt.step(null);
                iterates.add(x.toFloatArray());
                lagrangians.add(r.lagrangian());
                multipliers.add(budget.multiplier() == null ? 0.0 : budget.multiplier().values()[0]);
            }
            return new Trajectory(iterates, lagrangians, multipliers, calls[0]);
        }
    }
}
