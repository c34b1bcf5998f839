package io.github.lagrange4j.constrained.formulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every formulation's primal term is one scalar, equal to its formula summed over the entries, with the
 * formula's derivative as the violation's gradient: for a model-wise constraint (one 0-d entry, which is not
 * summed again) and for several entries alike.
 */
class PrimalTermTest {

    private static final double C = 2.5;
    private static final float[] G = {0.3f, -0.2f, 0.05f};
    private static final float[] LAMBDA = {0.7f, 0.1f, 0f};

    /** The term of one entry and its derivative in g, in double. */
    private static double[] formula(String formulation, ConstraintType type, double g, double lambda) {
        switch (formulation) {
            case "lagrangian":
                return new double[] {lambda * g, lambda};
            case "augmented":
                if (type == ConstraintType.INEQUALITY) {
                    double shifted = Math.max(0, lambda + C * g);
                    return new double[] {(shifted * shifted - lambda * lambda) / (2 * C), shifted};
                }
                return new double[] {lambda * g + C * g * g / 2, lambda + C * g};
            case "penalty":
                double v = type == ConstraintType.INEQUALITY ? Math.max(0, g) : g;
                return new double[] {C * v * v / 2, C * v};
            default:
                throw new IllegalArgumentException(formulation);
        }
    }

    private static Formulation of(String formulation) {
        return switch (formulation) {
            case "lagrangian" -> Lagrangian.create();
            case "augmented" -> AugmentedLagrangian.of(C);
            case "penalty" -> QuadraticPenalty.of(C);
            default -> throw new IllegalArgumentException(formulation);
        };
    }

    @ParameterizedTest(name = "{0}, {1}, {2} entries")
    @CsvSource({"lagrangian, INEQUALITY, 0", "lagrangian, INEQUALITY, 3", "augmented, INEQUALITY, 0",
        "augmented, INEQUALITY, 3", "augmented, EQUALITY, 0", "augmented, EQUALITY, 3", "penalty, INEQUALITY, 0",
        "penalty, INEQUALITY, 3", "penalty, EQUALITY, 3"})
    void theTermIsOneScalarEqualToTheFormulaWithItsDerivativeAsGradient(String formulation, ConstraintType type,
            int entries) {
        // entries 0: a 0-d violation (one model-wise entry)
        int n = Math.max(1, entries);
        Shape shape = entries == 0 ? new Shape() : new Shape(entries);
        double expected = 0;
        double[] slope = new double[n];
        for (int i = 0; i < n; i++) {
            double[] f = formula(formulation, type, G[i], LAMBDA[i]);
            expected += f[0];
            slope[i] = f[1];
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] g = java.util.Arrays.copyOf(G, n);
            NDArray violation = m.create(g, shape);
            violation.setRequiresGradient(true);
            NDArray lambda = m.create(java.util.Arrays.copyOf(LAMBDA, n), shape);
            NDArray penalty = m.full(shape, (float) C);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray term = of(formulation).primalTerm(type, violation, lambda, penalty);
                assertThat(term.getShape().dimension()).as("a scalar").isZero();
                assertThat((double) term.getFloat()).isCloseTo(expected, within(1e-6));
                gc.backward(term);
            }
            float[] gradient = violation.getGradient().toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat((double) gradient[i]).as("d term / d g[%d]", i).isCloseTo(slope[i], within(1e-5));
            }
        }
    }
}
