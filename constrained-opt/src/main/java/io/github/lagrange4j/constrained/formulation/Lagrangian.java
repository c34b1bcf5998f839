package io.github.lagrange4j.constrained.formulation;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.ConstraintType;

/**
 * The Lagrangian formulation {@code L(x, lambda) = f(x) + sum_i lambda_i g_i(x)}.
 *
 * <p>Primal term {@code sum_i lambda_i g_i(x)} with {@code lambda} constant; dual ascent direction
 * {@code g_i} (the strict violation when given), so gradient ascent reads {@code lambda <-
 * Pi(lambda + eta g)} (Arrow, Hurwicz &amp; Uzawa, 1958; Cooper's {@code Lagrangian}).
 */
public final class Lagrangian implements Formulation {

    private static final Lagrangian INSTANCE = new Lagrangian();

    private Lagrangian() {}

    /**
     * Returns the (stateless) Lagrangian formulation.
     *
     * @return the instance
     */
    public static Lagrangian create() {
        return INSTANCE;
    }

    @Override
    public NDArray primalTerm(
            ConstraintType type, NDArray violation, NDArray lambda, NDArray penalty) {
        return Formulation.summed(violation.mul(lambda));
    }

    /**
     * {@code Σ_i λ_i g_i} and its gradient {@code λ} ({@code ∂(g λ)/∂g = 1 · λ} in the engine's backward pass,
     * exactly {@code λ}).
     */
    @Override
    public ClosedFormTerm closedFormTerm(ConstraintType type, float[] violation, float[] lambda, float[] penalty) {
        float sum = 0f;
        for (int i = 0; i < violation.length; i++) {
            float term = violation[i] * lambda[i];
            sum = i == 0 ? term : sum + term; // from the first term, not 0: a single −0 stays −0, as on the engine
        }
        return new ClosedFormTerm(sum, lambda.clone());
    }

    @Override
    public double[] dualGradient(ConstraintType type, double[] violation, double[] penalty) {
        return violation.clone();
    }

    @Override
    public boolean usesMultiplier() {
        return true;
    }

    @Override
    public String toString() {
        return "Lagrangian";
    }
}
