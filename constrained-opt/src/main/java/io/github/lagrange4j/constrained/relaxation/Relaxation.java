package io.github.lagrange4j.constrained.relaxation;

/**
 * The settings of a relaxed ("resilient") inequality constraint {@code g(x) <= u}: the slack
 * {@code u >= 0} is learned, at the cost {@code h(u) = (alpha/2) ||u||^2} added to the objective
 * (Hounie, Ribeiro, Chamon, "Resilient constrained learning", NeurIPS 2023).
 *
 * <p>Problem: {@code min_{x, u >= 0} f(x) + (alpha/2)||u||^2 s.t. g(x) - u <= 0}. The optimizer
 * hands the dual the relaxed violation {@code g - u} and, on every dual step, descends the
 * Lagrangian in {@code u} with the multipliers of the start of the step (simultaneous, as in the
 * paper's Algorithm 1): {@code u <- max(0, u - eta_u (alpha u - lambda))}. At a solution
 * {@code u* = lambda* / alpha}: the more a constraint costs the objective, the more it is relaxed.
 *
 * @param cost {@code alpha > 0}, the price of one unit of squared slack
 * @param learningRate {@code eta_u > 0}, the step size of the slack's descent
 */
public record Relaxation(double cost, double learningRate) {

    /** Validates the settings. */
    public Relaxation {
        if (!(cost > 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("cost must be finite and > 0, got " + cost);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("slack learningRate must be finite and > 0, got " + learningRate);
        }
    }

    /**
     * Returns the slack that balances a multiplier: {@code lambda / alpha}.
     *
     * @param lambda a multiplier {@code >= 0}
     * @return the stationary slack
     */
    public double stationarySlack(double lambda) {
        return Math.max(0, lambda) / cost;
    }
}
