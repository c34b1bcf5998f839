/**
 * Rate constraints on a classifier: positive prediction rate, true/false positive and negative rates, error
 * rate and precision on a subset, each with a differentiable proxy (hinge, sigmoid, softmax) for the primal
 * step and the strict 0-1 rate for the dual step; lower and upper bounds and ratios between subsets.
 */
package io.github.lagrange4j.constrained.rate;
