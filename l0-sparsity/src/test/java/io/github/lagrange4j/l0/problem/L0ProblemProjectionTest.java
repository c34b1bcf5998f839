package io.github.lagrange4j.l0.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.L0Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The problem owns the log α clamp: a user loop that only calls {@code optimizer.step(batch)} keeps every
 * log α in {@code [LogAlpha.MIN, LogAlpha.MAX]}; the same loop whose problem does not know the gates
 * drives them out of it (so the bound is the projection's doing).
 */
class L0ProblemProjectionTest {

    private static final float MIN = (float) LogAlpha.MIN;
    private static final float MAX = (float) LogAlpha.MAX;
    /** The in-place clamp {@code a - (a - clip(a))} lands within a float32 ulp of the bound. */
    private static final float ULP = 1e-6f;

    /** Trains 40 Adam steps (about 0.5 each) of a 16-4 gated layer under "density <= 0.05"; no clamp in the loop. */
    private static float[] trainWithoutAClampInTheLoop(boolean problemKnowsTheGates) {
        Engine.getEngine("PyTorch").setRandomSeed(5);
        SequentialBlock block = new SequentialBlock().add(L0Linear.builder().setUnits(4).build());
        try (Model model = Model.newInstance("projection", "PyTorch")) {
            model.setBlock(block);
            NDManager m = model.getNDManager();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.5f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 16));
                GatedNetwork network = GatedNetwork.of(block);
                NDArray x = m.randomNormal(new Shape(32, 16));
                NDArray y = m.randomNormal(new Shape(32, 4));
                ConstraintTerm<Void> budget = DensityConstraints.modelWise(network, 0.05);
                ConstraintTerm<Void> term = problemKnowsTheGates
                        ? budget
                        : ConstraintTerm.of(budget.constraint(), budget::computeState); // lists no gates
                L0Problem<Void> problem = L0Problem.<Void>builder()
                        .setTaskLoss(b -> trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))))
                        .addConstraint(term)
                        .build();
                ConstrainedOptimizer<Void> optimizer = ConstrainedOptimizer.<Void>builder()
                        .setProblem(problem)
                        .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer))
                        .setDualOptimizer(DualSgd.of(5))
                        .build();
                float[] logAlpha = null;
                for (int t = 1; t <= 40; t++) {
                    optimizer.step(null);
                    logAlpha = network.layers().get(0).logAlpha().getArray().toFloatArray();
                    if (problemKnowsTheGates) {
                        for (float a : logAlpha) {
                            assertThat(a).as("log alpha after step %d", t).isBetween(MIN - ULP, MAX + ULP);
                        }
                    }
                }
                return logAlpha;
            }
        }
    }

    private static float min(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    @Test
    void aLoopWithoutAClampKeepsLogAlphaWithinBounds() {
        float[] projected = trainWithoutAClampInTheLoop(true);
        assertThat(min(projected)).as("some gate sits on the lower bound").isCloseTo(MIN, within(ULP));
        float[] unprojected = trainWithoutAClampInTheLoop(false);
        assertThat(min(unprojected)).as("without the projection the gates leave the range").isLessThan(MIN - 1);
    }

    @Test
    void projectsTheGatesOfItsTermsPenaltiesAndOptGatesEachOnce() {
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            SequentialBlock block = new SequentialBlock()
                    .add(L0Linear.builder().setUnits(8).build())
                    .add(L0Linear.builder().setUnits(2).build());
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4));
            GatedNetwork network = GatedNetwork.of(block);
            List<Parameter> expected = LogAlpha.gateParameters(block);
            assertThat(expected).hasSize(2);

            L0Problem<Void> both = L0Problem.<Void>builder().setTaskLoss(b -> manager.create(0f))
                    .addConstraint(DensityConstraints.modelWise(network, 0.5))
                    .addPenalty(LouizosPenalty.of(network, 0.1, 100))
                    .optGates(network)
                    .build();
            assertThat(both.projectedGates()).containsExactlyElementsOf(expected);
            assertThat(L0Problem.<Void>builder().setTaskLoss(b -> manager.create(0f))
                    .addPenalty(new DensityPenalty(network, 0.1)).build().projectedGates())
                    .containsExactlyElementsOf(expected);
            L0Problem<Void> userOnly = L0Problem.<Void>builder().setTaskLoss(b -> manager.create(0f))
                    .addConstraint(ConstraintTerm.of(Constraint.inequality("c", 1), (b, m) -> null)).build();
            assertThat(userOnly.projectedGates()).isEmpty();

            // projectPrimal clamps in place (the second layer gates its 8 inputs)
            Parameter second = expected.get(1);
            second.getArray().set(new float[] {-9, -1, 0, 1, 9, 4.7f, -4.7f, 2});
            both.projectPrimal();
            assertThat(second.getArray().toFloatArray())
                    .containsExactly(new float[] {MIN, -1, 0, 1, MAX, MAX, MIN, 2}, within(ULP));
            assertThatThrownBy(() -> L0Problem.<Void>builder().optGates(null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("network must not be null");
        }
    }
}
