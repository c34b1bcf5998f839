package io.github.lagrange4j.constrained.primal;

/**
 * The scalars of one Adam update of a parameter, as the single-pass kernel takes them (see {@link
 * StatefulAdam} for the rule and how {@code stepSize} and {@code epsilon} fold in the bias corrections).
 *
 * @param beta1 the first moment's decay b1
 * @param beta2 the second moment's decay b2
 * @param stepSize {@code eta sqrt(1-b2^t)/(1-b1^t)}
 * @param epsilon {@code eps sqrt(1-b2^t)}
 * @param rescale the factor applied to the raw gradient
 * @param weightDecay the coupled L2 weight decay (added to the rescaled gradient times {@code w})
 */
record AdamConstants(float beta1, float beta2, float stepSize, float epsilon, float rescale, float weightDecay) {}
