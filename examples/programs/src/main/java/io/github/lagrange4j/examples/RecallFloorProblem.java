package io.github.lagrange4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.rate.RateConstraints;
import io.github.lagrange4j.constrained.rate.RateContext;
import io.github.lagrange4j.constrained.rate.RateProxy;
import io.github.lagrange4j.constrained.rate.Rates;
import io.github.lagrange4j.examples.MnistArrays.Split;
import java.util.List;
import java.util.Map;

/**
 * The softmax-linear classifier's cross-entropy and, if on, a floor on the recall of class {@code k}
 * as a rate constraint: hinge proxy for the primal, 0-1 recall for the dual ({@code min CE s.t.
 * r_min - TPR_k <= 0}).
 *
 * @param w the weights, {@code (784, 10)}
 * @param b the biases, {@code (10)}
 * @param recall the constraint (scalar inequality)
 * @param k the class
 * @param minRecall the floor
 * @param withFloor whether the constraint is part of the problem
 */
record RecallFloorProblem(NDArray w, NDArray b, Constraint recall, int k, double minRecall, boolean withFloor)
        implements ConstrainedMinimizationProblem<Split> {

    @Override
    public CmpState computeCmpState(Split batch) {
        NDArray logits = batch.images().matMul(w).add(b);
        NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(batch.labels()), new NDList(logits));
        if (!withFloor) {
            return new CmpState(loss, Map.of());
        }
        RateContext c = RateContext.oneVsRest(logits, batch.labels(), k);
        return CmpState.of(loss, recall, RateConstraints.atLeast(Rates.truePositiveRate(c), minRecall, RateProxy.HINGE));
    }

    @Override
    public List<Constraint> constraints() {
        return withFloor ? List.of(recall) : List.of();
    }

    /**
     * Checks the options both recall-floor examples share; messages name the option.
     *
     * @param classIndex the class whose recall is bounded, in [0, 9]
     * @param minRecall the floor, in (0, 1]
     * @throws IllegalArgumentException naming {@code --class} or {@code --min-recall}
     */
    static void checkOptions(int classIndex, double minRecall) {
        if (classIndex < 0 || classIndex > 9) {
            throw new IllegalArgumentException("--class must be in [0, 9], got " + classIndex);
        }
        if (!(minRecall > 0 && minRecall <= 1)) {
            throw new IllegalArgumentException("--min-recall must be in (0, 1], got " + minRecall);
        }
    }
}
