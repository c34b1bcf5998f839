package io.github.lagrange4j.constrained.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.Engines;
import io.github.lagrange4j.constrained.KktSolver;
import io.github.lagrange4j.constrained.ProjectionProblem;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.formulation.AugmentedLagrangian;
import io.github.lagrange4j.constrained.formulation.Formulation;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.formulation.QuadraticPenalty;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every formulation x scheme x constraint set x multiplier kind, on two engines, reaches the exact
 * KKT point of {@code min ||x - a||^2 s.t. A x <= b, C x = d} (x and lambda within 1e-3); the
 * quadratic penalty reaches the exact minimiser of its penalised objective. The second engine (MXNet)
 * runs every combination with dense multipliers.
 */
class KktConvergenceTest {

    static final int MAX_STEPS = 3000;
    static final int CHECK_EVERY = 50;
    static final double PENALTY = 2.0;

    enum Constraints { INEQUALITY, EQUALITY, BOTH }

    enum FormulationKind { LAGRANGIAN, AUGMENTED_LAGRANGIAN, QUADRATIC_PENALTY }

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (String engine : Engines.names()) {
            for (FormulationKind f : FormulationKind.values()) {
                for (UpdateScheme s : UpdateScheme.values()) {
                    for (Constraints c : Constraints.values()) {
                        for (MultiplierKind k : MultiplierKind.values()) {
                            if (f == FormulationKind.QUADRATIC_PENALTY && k == MultiplierKind.INDEXED) {
                                continue; // no multipliers
                            }
                            if (!engine.equals("PyTorch") && k == MultiplierKind.INDEXED) {
                                continue; // second engine: dense only, to keep the suite short (indexing is engine-free JVM code)
                            }
                            out.add(Arguments.of(engine, f, s, c, k));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    static Formulation formulation(FormulationKind f) {
        return switch (f) {
            case LAGRANGIAN -> Lagrangian.create();
            case AUGMENTED_LAGRANGIAN -> AugmentedLagrangian.of(1.0);
            case QUADRATIC_PENALTY -> QuadraticPenalty.of(PENALTY);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
    @MethodSource("combinations")
    void reachesTheExactKktPoint(
            String engine, FormulationKind f, UpdateScheme scheme, Constraints c, MultiplierKind kind) {
        boolean withIneq = c != Constraints.EQUALITY;
        boolean withEq = c != Constraints.INEQUALITY;
        try (NDManager manager = Engines.manager(engine)) {
            ProjectionProblem problem = new ProjectionProblem(manager, withIneq, withEq, formulation(f), kind);
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
            ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(ParameterOptimizer.of(sgd, problem.x()))
                    .setDualOptimizer(DualSgd.of(0.5))
                    .optScheme(scheme)
                    .build();
            double[][] ineqA = withIneq ? ProjectionProblem.INEQ_A : new double[0][];
            double[] ineqB = withIneq ? ProjectionProblem.INEQ_B : new double[0];
            double[][] eqC = withEq ? ProjectionProblem.EQ_C : new double[0][];
            double[] eqD = withEq ? ProjectionProblem.EQ_D : new double[0];
            boolean penalty = f == FormulationKind.QUADRATIC_PENALTY;
            KktSolver.Solution kkt = KktSolver.solve(ProjectionProblem.A_TARGET, ineqA, ineqB, eqC, eqD);
            double[] xStar = penalty ? penaltySolution(ineqA, ineqB, eqC, eqD) : kkt.x();
            int steps = 0;
            while (steps < MAX_STEPS && error(problem, xStar, kkt, penalty) > 1e-4) {
                for (int t = 0; t < CHECK_EVERY; t++) {
                    opt.step(null);
                }
                steps += CHECK_EVERY;
            }
            for (int t = 0; t < CHECK_EVERY; t++) { // and it stays there
                opt.step(null);
            }
            System.out.printf("KKT %s %s %s %s %s converged in %d steps%n", engine, f, scheme, c, kind, steps);
            assertThat(problem.x().toDoubleArray()).containsExactly(xStar, within(1e-3));
            if (!penalty && withIneq) {
                assertThat(problem.ineq().multiplier().values()).containsExactly(kkt.lambda(), within(1e-3));
            }
            if (!penalty && withEq) {
                assertThat(problem.eq().multiplier().values()).containsExactly(kkt.mu(), within(1e-3));
            }
        }
    }

    static double error(ProjectionProblem p, double[] xStar, KktSolver.Solution kkt, boolean penalty) {
        double e = maxAbsDiff(p.x().toDoubleArray(), xStar);
        if (!penalty && p.ineq() != null) {
            e = Math.max(e, maxAbsDiff(p.ineq().multiplier().values(), kkt.lambda()));
        }
        if (!penalty && p.eq() != null) {
            e = Math.max(e, maxAbsDiff(p.eq().multiplier().values(), kkt.mu()));
        }
        return e;
    }

    static double maxAbsDiff(double[] u, double[] v) {
        double m = 0;
        for (int i = 0; i < u.length; i++) {
            m = Math.max(m, Math.abs(u[i] - v[i]));
        }
        return m;
    }

    /** Exact minimiser of ||x-a||^2 + (c/2)(sum relu(Ax-b)^2 + sum (Cx-d)^2), by active-set enumeration. */
    static double[] penaltySolution(double[][] ineqA, double[] ineqB, double[][] eqC, double[] eqD) {
        int m = ineqA.length;
        for (int mask = 0; mask < (1 << m); mask++) {
            List<double[]> rows = new ArrayList<>(List.of(eqC));
            List<Double> r = new ArrayList<>();
            for (double v : eqD) {
                r.add(v);
            }
            for (int i = 0; i < m; i++) {
                if ((mask & (1 << i)) != 0) {
                    rows.add(ineqA[i]);
                    r.add(ineqB[i]);
                }
            }
            double[] rr = r.stream().mapToDouble(Double::doubleValue).toArray();
            double[] x = KktSolver.penaltyMinimiser(
                    ProjectionProblem.A_TARGET, rows.toArray(new double[0][]), rr, PENALTY);
            boolean ok = true;
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < x.length; j++) {
                    v += ineqA[i][j] * x[j];
                }
                v -= ineqB[i];
                ok &= (mask & (1 << i)) != 0 ? v >= 0 : v <= 0;
            }
            if (ok) {
                return x;
            }
        }
        throw new IllegalStateException("no penalty minimiser found");
    }
}
