package io.github.lagrange4j.l0.problem;

import static io.github.lagrange4j.l0.GatedNets.range;
import static io.github.lagrange4j.l0.GatedNets.setLogAlpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.formulation.QuadraticPenalty;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.l0.GatedNets;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.HardConcrete;
import io.github.lagrange4j.l0.nn.L0Linear;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Specification of the L0 problem objects: violations, penalties, composition, validation. */
class L0ProblemTest {

    private static final double P1 = HardConcrete.DEFAULT.probabilityNonZero(3);
    private static final double P0 = HardConcrete.DEFAULT.probabilityNonZero(-3);

    private NDManager manager;
    private GatedNetwork mlp;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        SequentialBlock block = GatedNets.mlp();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        mlp = GatedNetwork.of(block);
        setLogAlpha(mlp.layers().get(0), -3f, 3f, range(0, 198));
        setLogAlpha(mlp.layers().get(1), -3f, 3f, range(0, 233));
        setLogAlpha(mlp.layers().get(2), -3f, 3f, range(0, 100));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double[] densities() {
        return new double[] {
            (198 * P1 + 586 * P0) / 784, (233 * P1 + 67 * P0) / 300, P1
        };
    }

    private CmpState state(L0Problem<Void> problem) {
        return problem.computeCmpState(null);
    }

    private L0Problem.Builder<Void> withZeroLoss(NDManager m) {
        return L0Problem.<Void>builder().setTaskLoss(b -> m.create(0f));
    }

    @Test
    void modelWiseViolationIsDensityMinusEpsilon() {
        try (NDManager m = manager.newSubManager()) {
            ConstraintTerm<Void> term = DensityConstraints.modelWise(mlp, 0.3);
            CmpState s = state(withZeroLoss(m).addConstraint(term).build());
            double[] d = densities();
            double density = (d[0] * 235_200 + d[1] * 30_000 + d[2] * 1_000) / 266_200;
            NDArray g = s.observedConstraints().get(term.constraint()).violation();
            assertThat(g.getShape()).isEqualTo(new Shape());
            assertThat((double) g.getFloat()).isCloseTo(density - 0.3, within(1e-6));
            assertThat(g.getManager()).isSameAs(m);
            assertThat(term.constraint().name()).isEqualTo("l0_model_density");
        }
    }

    @Test
    void layerWiseViolationHasOneEntryPerGatedLayer() {
        try (NDManager m = manager.newSubManager()) {
            ConstraintTerm<Void> term = DensityConstraints.layerWise(mlp, 0.3, 0.5, 0.7);
            CmpState s = state(withZeroLoss(m).addConstraint(term).build());
            float[] g = s.observedConstraints().get(term.constraint()).violation().toFloatArray();
            double[] d = densities();
            assertThat((double) g[0]).isCloseTo(d[0] - 0.3, within(1e-6));
            assertThat((double) g[1]).isCloseTo(d[1] - 0.5, within(1e-6));
            assertThat((double) g[2]).isCloseTo(d[2] - 0.7, within(1e-6));
            assertThat(term.constraint().size()).isEqualTo(3);
        }
    }

    @Test
    void macBudgetViolationIsExpectedMacFractionMinusEpsilon() {
        try (NDManager m = manager.newSubManager()) {
            ConstraintTerm<Void> term = DensityConstraints.macBudget(mlp, 0.25);
            CmpState s = state(withZeroLoss(m).addConstraint(term).build());
            double in0 = 198 * P1 + 586 * P0;
            double in1 = 233 * P1 + 67 * P0;
            double in2 = 100 * P1;
            double macs = in0 * in1 + in1 * in2 + in2 * 10;
            double expected = macs / (784 * 300 + 300 * 100 + 100 * 10) - 0.25;
            float g = s.observedConstraints().get(term.constraint()).violation().getFloat();
            assertThat((double) g).isCloseTo(expected, within(1e-6));
            assertThat(NetworkAccount.of(mlp).expectedMacs()).isCloseTo(macs, within(macs * 1e-5));
        }
    }

    @Test
    void louizosPenaltyIsExpectedActiveParametersTimesLambdaOverNPlusExpectedL2() {
        L0Linear layer = L0Linear.builder().setUnits(2).build();
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        layer.weight().getArray().set(java.nio.FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}));
        layer.logAlpha().getArray().set(java.nio.FloatBuffer.wrap(new float[] {-1, 0, 2}));
        GatedNetwork net = GatedNetwork.of(java.util.List.of(layer));
        double[] p = {
            HardConcrete.DEFAULT.probabilityNonZero(-1),
            HardConcrete.DEFAULT.probabilityNonZero(0),
            HardConcrete.DEFAULT.probabilityNonZero(2)
        };
        double[] sq = {1 + 16, 4 + 25, 9 + 36}; // input columns of W = [[1,2,3],[4,5,6]]
        double lambda = 0.1;
        long n = 1000;
        double wd = 5e-4;
        double expected = 0;
        for (int g = 0; g < 3; g++) {
            expected += p[g] * (lambda / n * 2 + wd / (2.0 * n) * sq[g]);
        }
        try (NDManager m = manager.newSubManager()) {
            double got = new LouizosPenalty(net, lambda, n, wd).compute(m).getFloat();
            assertThat(got).isCloseTo(expected, within(1e-9));
            double l0Only = LouizosPenalty.of(net, lambda, n).compute(m).getFloat();
            assertThat(l0Only).isCloseTo((p[0] + p[1] + p[2]) * 2 * lambda / n, within(1e-9));
            CmpState s =
                    L0Problem.<Void>builder()
                            .setTaskLoss(b -> m.create(1.5f))
                            .addPenalty(new LouizosPenalty(net, lambda, n, wd))
                            .build()
                            .computeCmpState(null);
            assertThat((double) s.loss().getFloat()).isCloseTo(1.5 + expected, within(1e-6));
            assertThat(s.misc()).containsEntry("task_loss", 1.5);
            assertThat(s.observedConstraints()).isEmpty();
        }
    }

    @Test
    void densityPenaltyIsLambdaTimesModelDensity() {
        try (NDManager m = manager.newSubManager()) {
            double[] d = densities();
            double density = (d[0] * 235_200 + d[1] * 30_000 + d[2] * 1_000) / 266_200;
            double got = new DensityPenalty(mlp, 2.0).compute(m).getFloat();
            assertThat(got).isCloseTo(2.0 * density, within(1e-6));
        }
    }

    @Test
    void l0ConstraintsComposeWithUserConstraintsInOneProblem() {
        try (NDManager m = manager.newSubManager()) {
            Constraint userConstraint = Constraint.equality("user_rate", 1);
            ConstraintTerm<Void> user =
                    new ConstraintTerm<>() {
                        @Override
                        public Constraint constraint() {
                            return userConstraint;
                        }

                        @Override
                        public ConstraintState computeState(Void batch, NDManager mm) {
                            return ConstraintState.of(mm.create(0.25f));
                        }
                    };
            Constraint quadratic =
                    Constraint.builder()
                            .setName("budget_quadratic")
                            .setType(io.github.lagrange4j.constrained.constraint.ConstraintType.INEQUALITY)
                            .optFormulation(QuadraticPenalty.of(10.0))
                            .build();
            L0Problem<Void> problem =
                    withZeroLoss(m)
                            .addConstraint(DensityConstraints.modelWise(mlp, 0.3))
                            .addConstraint(DensityConstraints.layerWise(mlp, 0.3, 0.3, 0.3))
                            .addConstraint(DensityConstraints.macBudget(mlp, 0.2, quadratic))
                            .addConstraint(user)
                            .addPenalty(new DensityPenalty(mlp, 0.0))
                            .build();
            assertThat(problem.constraints())
                    .extracting(Constraint::name)
                    .containsExactly("l0_model_density", "l0_layer_density", "budget_quadratic", "user_rate");
            CmpState s = problem.computeCmpState(null);
            assertThat(s.observedConstraints()).hasSize(4);
            assertThat(s.observedConstraints().get(userConstraint).violation().getFloat()).isEqualTo(0.25f);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.2, Double.NaN})
    void epsilonOutsideUnitIntervalFails(double epsilon) {
        assertThatThrownBy(() -> DensityConstraints.modelWise(mlp, epsilon))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon must be in [0, 1], got " + epsilon);
        assertThatThrownBy(() -> DensityConstraints.layerWise(mlp, 0.5, epsilon, 0.5))
                .hasMessage("epsilons[1] must be in [0, 1], got " + epsilon);
        assertThatThrownBy(() -> DensityConstraints.macBudget(mlp, epsilon))
                .hasMessage("fraction must be in [0, 1], got " + epsilon);
    }

    @Test
    void misconfiguredProblemsFailWithClearMessages() {
        assertThatThrownBy(() -> DensityConstraints.layerWise(mlp, 0.3, 0.3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilons must have one target per gated layer (3), got 2");
        assertThatThrownBy(() -> DensityConstraints.modelWise(mlp, 0.3, Constraint.equality("eq", 1)))
                .hasMessage("constraint 'eq' must be an INEQUALITY, got EQUALITY");
        assertThatThrownBy(() -> DensityConstraints.modelWise(mlp, 0.3, Constraint.inequality("two", 2)))
                .hasMessage("constraint 'two' must have size 1, got 2");
        assertThatThrownBy(() -> L0Problem.<Void>builder().build())
                .hasMessage("taskLoss must be set");
        assertThatThrownBy(
                        () ->
                                L0Problem.<Void>builder()
                                        .setTaskLoss(b -> null)
                                        .addConstraint(DensityConstraints.modelWise(mlp, 0.3))
                                        .addConstraint(DensityConstraints.modelWise(mlp, 0.5))
                                        .build())
                .hasMessage("constraint names must be unique, 'l0_model_density' repeats");
        assertThatThrownBy(() -> new LouizosPenalty(mlp, -1, 10, 0))
                .hasMessage("lambda must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> new LouizosPenalty(mlp, 0.1, 0, 0))
                .hasMessage("datasetSize must be >= 1, got 0");
        assertThatThrownBy(() -> new DensityPenalty(mlp, Double.POSITIVE_INFINITY))
                .hasMessage("lambda must be finite and >= 0, got Infinity");
        try (NDManager m = manager.newSubManager()) {
            L0Problem<Void> vectorLoss = L0Problem.<Void>builder().setTaskLoss(b -> m.zeros(new Shape(3))).build();
            assertThatThrownBy(() -> vectorLoss.computeCmpState(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("taskLoss must return a scalar, got shape (3)");
        }
    }
}
