package io.github.lagrange4j.constrained.rate;

import ai.djl.ndarray.NDArray;
import io.github.lagrange4j.constrained.constraint.ConstraintState;

/**
 * Turns a bound on a rate into the state of an inequality constraint: the proxy violation for the
 * primal step and the strict (0-1) violation for the dual step and the feasibility verdict.
 *
 * <p>{@code atMost(r, t)}: {@code g = r - t <= 0}; {@code atLeast(r, t)}: {@code g = t - r <= 0}.
 * The proxy is {@code proxyUpperBound} of {@code r} (or of {@code -r}), so with the hinge the proxy
 * violation is never below the strict one. Declare the constraint as {@code
 * Constraint.inequality(name, 1)} and return the state from the problem's {@code computeCmpState}.
 */
public final class RateConstraints {

    private RateConstraints() {}

    /**
     * The state of {@code rate <= bound}.
     *
     * @param rate the rate expression
     * @param bound the upper bound, finite
     * @param proxy the proxy of the indicator for the primal
     * @return the constraint state (proxy violation, strict violation)
     */
    public static ConstraintState atMost(RateExpression rate, double bound, RateProxy proxy) {
        return state(rate, bound, proxy);
    }

    /**
     * The state of {@code rate >= bound}.
     *
     * @param rate the rate expression
     * @param bound the lower bound, finite
     * @param proxy the proxy of the indicator for the primal
     * @return the constraint state (proxy violation, strict violation)
     */
    public static ConstraintState atLeast(RateExpression rate, double bound, RateProxy proxy) {
        return state(rate.times(-1), -bound, proxy);
    }

    private static ConstraintState state(RateExpression rate, double bound, RateProxy proxy) {
        if (!Double.isFinite(bound)) {
            throw new IllegalArgumentException("bound must be finite, got " + bound);
        }
        if (proxy == null) {
            throw new IllegalArgumentException("proxy must not be null");
        }
        NDArray proxyViolation = rate.proxyUpperBound(proxy).sub(bound);
        NDArray strictViolation = rate.strict().sub(bound);
        return ConstraintState.of(proxyViolation, strictViolation);
    }
}
