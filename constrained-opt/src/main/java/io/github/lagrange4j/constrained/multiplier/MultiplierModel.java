package io.github.lagrange4j.constrained.multiplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulSgd;

/**
 * Multipliers given by a model of the constraints' features: {@code lambda_i = relu(block(phi_i))}
 * for inequalities, {@code block(phi_i)} for equalities, for large (or sampled) constraint families
 * where one free multiplier per constraint is too many or should generalise (Narasimhan et al.,
 * "Approximate heavily-constrained learning with Lagrange multiplier models", NeurIPS 2020; Cooper's
 * implicit multipliers).
 *
 * <p>Dual step on the observed constraints {@code I} with strict violations {@code g_I}: gradient
 * ascent on the model's parameters {@code theta <- theta + eta sum_{i in I} g_i grad_theta z_theta(phi_i)
 * [z_i > 0 or g_i > 0]} with {@code z = block(phi)} (SGD on the negated sum, with its own gradient
 * collector). For an inequality this is the projected gradient of {@code sum_i lambda_i g_i}: an entry
 * at {@code lambda = 0} moves the model only when its constraint is violated, so a relu that is off
 * everywhere (all constraints satisfied early on) can still switch on later. The constraint's {@link Multiplier}
 * holds the model's latest values of the entries seen so far (refreshed for the observed entries
 * before the primal term and after the dual step), so records and checkpoints show them.
 *
 * <p>Order of calls: build and initialise the block (input shape {@code (n, k)}, output {@code (n,
 * 1)} or {@code (n)}), wrap it here with the features of every constraint, and register it with the
 * optimizer builder's {@code optMultiplierModel(constraint, model)}. Works with the simultaneous and
 * alternating primal-dual schemes (the dual step must run outside the primal's gradient collector).
 */
public final class MultiplierModel {

    private final Block block;
    private final NDArray features;
    private final double learningRate;
    private final ParameterOptimizer optimizer;

    /**
     * Wraps an initialised block.
     *
     * @param block the model; initialised for inputs of shape {@code (n, k)}
     * @param features one row of {@code k} features per constraint, shape {@code (size, k)}
     * @param learningRate {@code eta > 0}, the ascent step of the model's parameters
     */
    public MultiplierModel(Block block, NDArray features, double learningRate) {
        if (block == null) {
            throw new IllegalArgumentException("block must not be null");
        }
        if (features == null || features.getShape().dimension() != 2) {
            throw new IllegalArgumentException("features must have shape (constraints, k), got "
                    + (features == null ? null : features.getShape()));
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("multiplier model learningRate must be finite and > 0, got " + learningRate);
        }
        this.block = block;
        this.features = features;
        this.learningRate = learningRate;
        this.optimizer = ParameterOptimizer.ofBlock(
                StatefulSgd.builder().optLearningRateTracker(Tracker.fixed((float) learningRate)).build(), block);
    }

    /**
     * Returns the number of constraints the features describe.
     *
     * @return the rows of the features
     */
    public long size() {
        return features.getShape().get(0);
    }

    /**
     * Returns the ascent step.
     *
     * @return {@code eta}
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Returns the primal-style optimizer of the model's parameters (for checkpoints).
     *
     * @return the parameter optimizer
     */
    public ParameterOptimizer parameterOptimizer() {
        return optimizer;
    }

    /**
     * Returns the model's multipliers of some constraints, without gradient.
     *
     * @param type the constraint type (inequalities pass through a relu)
     * @param indices the constraints
     * @return {@code lambda[indices]}
     */
    public double[] values(ConstraintType type, int[] indices) {
        try (NDScope ignored = new NDScope()) {
            NDArray lambda = forward(type, indices, false);
            NDArray d = lambda.getDataType() == DataType.FLOAT64 ? lambda : lambda.toType(DataType.FLOAT64, false);
            return d.toDoubleArray();
        }
    }

    /**
     * One ascent step of the model's parameters on {@code sum_{i in I} lambda(phi_i) g_i}.
     *
     * @param type the constraint type
     * @param indices the observed constraints {@code I}
     * @param violations their strict violations {@code g_I}
     */
    public void ascend(ConstraintType type, int[] indices, double[] violations) {
        try (NDScope ignored = new NDScope();
                GradientCollector gc = optimizer.newGradientCollector()) {
            NDArray z = preActivation(indices, true);
            double[] zv = (z.getDataType() == DataType.FLOAT64 ? z : z.toType(DataType.FLOAT64, false)).toDoubleArray();
            double[] weights = new double[indices.length];
            for (int j = 0; j < weights.length; j++) {
                boolean moves = type != ConstraintType.INEQUALITY || zv[j] > 0 || violations[j] > 0;
                weights[j] = moves ? violations[j] : 0;
            }
            NDArray g = z.getManager().create(weights);
            if (g.getDataType() != z.getDataType()) {
                g = g.toType(z.getDataType(), false);
            }
            gc.backward(z.mul(g).sum().neg());
        }
        optimizer.step();
    }

    private NDArray forward(ConstraintType type, int[] indices, boolean training) {
        NDArray z = preActivation(indices, training);
        return type == ConstraintType.INEQUALITY ? Activation.relu(z) : z;
    }

    private NDArray preActivation(int[] indices, boolean training) {
        NDManager m = features.getManager();
        long[] idx = new long[indices.length];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = indices[j];
        }
        NDArray index = m.create(idx);
        NDArray phi = features.get(index);
        NDArray out = block.forward(new ParameterStore(m, false), new NDList(phi), training).singletonOrThrow();
        return out.reshape(indices.length);
    }
}
