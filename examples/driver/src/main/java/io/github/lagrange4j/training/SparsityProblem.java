package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.problem.DensityConstraints;
import io.github.lagrange4j.l0.problem.DensityPenalty;
import io.github.lagrange4j.l0.problem.L0Problem;
import io.github.lagrange4j.l0.problem.LouizosPenalty;
import java.util.function.Function;

/**
 * The constrained optimizer of a sparsity run, assembled from its settings: the task loss is the DJL trainer's
 * loss on its training forward pass ({@code b = [images, labels]}); a constrained run adds the density
 * constraint (model-wise: expected density ≤ ε; layer-wise: one per gated layer; MACs: expected MACs per
 * example ≤ F of the dense model's, {@code DensityConstraints.macBudget}), a penalized run the density
 * or Louizos et al.'s expected-L0 penalty; the primal side is the trainer's Adam, the dual side the settings'
 * {@link DualMethod} with optional restarts, under the settings' update scheme. The problem clamps log α to
 * [log 0.01, log 100] after every step ({@link L0Problem#projectPrimal()}).
 */
final class SparsityProblem {

    private SparsityProblem() {}

    /**
     * Builds the optimizer.
     *
     * @param settings the run's settings
     * @param trainer the DJL trainer (its loss and forward pass, its parameters through {@code adam})
     * @param adam the trainer's primal optimizer
     * @param network the model's gated layers
     * @param trainExamples the size of the training split (Louizos et al.'s penalty scales by it)
     * @param parallel the run's devices: with several, the task loss is evaluated per shard and the density
     *     terms once per minibatch ({@link DataParallel#problem}); with one, the problem as built here
     * @return the constrained optimizer
     */
    static ConstrainedOptimizer<NDArray[]> optimizer(RunSettings settings, Trainer trainer, StatefulAdam adam,
            GatedNetwork network, int trainExamples, DataParallel parallel) {
        Function<NDArray[], NDArray> taskLoss = b -> trainer.getLoss().evaluate(new NDList(b[1]),
                trainer.forward(new NDList(b[0])));
        L0Problem.Builder<NDArray[]> problem = L0Problem.<NDArray[]>builder()
                .setTaskLoss(taskLoss)
                .optGates(network); // log α clamped to [log 0.01, log 100] by the problem after every step
        if (settings.objective().approach() == Approach.CONSTRAINED) {
            double[] eps = settings.objective().constraintEpsilons();
            problem.addConstraint(switch (settings.objective().scope()) {
                case MODEL -> DensityConstraints.<NDArray[]>modelWise(network, eps[0]);
                case LAYER -> DensityConstraints.<NDArray[]>layerWise(network, eps);
                case MACS -> DensityConstraints.<NDArray[]>macBudget(network, eps[0]);
            });
        } else if (settings.objective().penaltyLambda() > 0) {
            problem.addPenalty(settings.objective().penaltyForm() == PenaltyForm.LOUIZOS
                    ? LouizosPenalty.of(network, settings.objective().penaltyLambda(), trainExamples)
                    : new DensityPenalty(network, settings.objective().penaltyLambda()));
        }
        return ConstrainedOptimizer.<NDArray[]>builder()
                .setProblem(parallel.problem(problem.build(), taskLoss, network))
                .setPrimalOptimizer(parallel.primal(trainer, adam))
                .setDualOptimizer(settings.optimization().dualMethod().optimizer(settings.optimization().dualLearningRate()))
                .optDualRestarts(settings.optimization().dualRestarts())
                .optScheme(settings.optimization().scheme())
                .build();
    }
}
