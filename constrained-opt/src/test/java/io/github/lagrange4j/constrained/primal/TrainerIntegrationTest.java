package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.problem.CmpState;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DJL Trainer with StatefulSgd as the primal side: a Linear(1) block without bias, weight w0 = 0,
 * input 1, loss (w - 2)^2, constraint w - 1 <= 0. The first steps equal the hand-computed
 * simultaneous golden values (eta_x = 1/8, eta_lambda = 1/2), so Trainer.step() and the gradient
 * zeroing behave exactly as with free arrays.
 */
class TrainerIntegrationTest {

    @Test
    void trainerDrivenStepsMatchTheGoldenValues() {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f)).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1));
                sgd.bindParameterNames(block);
                NDArray input = trainer.getManager().ones(new Shape(1, 1));
                Constraint c = Constraint.inequality("w<=1", 1);
                ConstrainedMinimizationProblem<Void> problem = new ConstrainedMinimizationProblem<>() {
                    @Override
                    public CmpState computeCmpState(Void batch) {
                        NDArray w = trainer.forward(new NDList(input)).singletonOrThrow().reshape(new Shape());
                        return CmpState.of(w.sub(2).square(), c, ConstraintState.of(w.sub(1)));
                    }

                    @Override
                    public List<Constraint> constraints() {
                        return List.of(c);
                    }
                };
                ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder()
                        .setProblem(problem)
                        .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer))
                        .setDualOptimizer(DualSgd.of(0.5))
                        .build();
                double[] xs = {0.5, 0.875, 1.15625, 1.3671875, 1.515625, 1.60400390625};
                double[] lambdas = {0, 0, 0, 0.078125, 0.26171875, 0.51953125};
                for (int t = 0; t < xs.length; t++) {
                    opt.step(null);
                    float w = block.getParameters().get("weight").getArray().getFloat();
                    assertThat((double) w).as("w after step %d", t + 1).isEqualTo(xs[t]);
                    assertThat(c.multiplier().value(0)).as("lambda after step %d", t + 1).isEqualTo(lambdas[t]);
                }
                assertThat(sgd.stepCount("weight")).isEqualTo(6);
            }
        }
    }

    @Test
    void theBuilderBindsParameterNamesSoAMultiplierByNameNeedsNoExtraStep() {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            // the block is not initialised yet: the names are read on the first update
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f))
                    .optLearningRateMultiplier(key -> "weight".equals(key) ? 0.5f : 1f)
                    .optParameterNames(block).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1));
                NDArray input = trainer.getManager().ones(new Shape(1, 1));
                ConstrainedMinimizationProblem<Void> problem = new ConstrainedMinimizationProblem<>() {
                    @Override
                    public CmpState computeCmpState(Void batch) {
                        NDArray w = trainer.forward(new NDList(input)).singletonOrThrow().reshape(new Shape());
                        return new CmpState(w.sub(2).square(), java.util.Map.of());
                    }

                    @Override
                    public List<Constraint> constraints() {
                        return List.of();
                    }
                };
                ConstrainedOptimizer<Void> opt = ConstrainedOptimizer.<Void>builder().setProblem(problem)
                        .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer)).build();
                opt.step(null);

                // w1 = 0 - (0.125 * 0.5) * d/dw (w - 2)^2 at 0 = 0.0625 * 4
                assertThat(block.getParameters().get("weight").getArray().getFloat()).isEqualTo(0.25f);
                assertThat(sgd.stepCount("weight")).isEqualTo(1);
            }
        }
    }

    @Test
    void theDirectUpdateGivesExactlyTheParametersOfTrainerStep() {
        float[][] viaTrainerStep = trainFiveAdamSteps(false);
        float[][] direct = trainFiveAdamSteps(true);
        assertThat(direct[0]).containsExactly(viaTrainerStep[0]);
        assertThat(direct[1]).containsExactly(viaTrainerStep[1]);
        // the parameters moved, and the direct path zeroed the gradients as trainer.step() does
        assertThat(direct[0]).isNotEqualTo(new float[] {0.5f, -0.25f, 0.125f, 1f, -1f, 0.75f});
        assertThat(direct[2]).containsOnly(0f);
    }

    /** Weight, bias and the weight's gradient after five Adam steps on a fixed regression. */
    private static float[][] trainFiveAdamSteps(boolean direct) {
        Linear block = Linear.builder().setUnits(3).build();
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(4, 2));
                adam.bindParameterNames(block);
                NDArray weight = block.getParameters().get("weight").getArray();
                NDArray bias = block.getParameters().get("bias").getArray();
                weight.set(new float[] {0.5f, -0.25f, 0.125f, 1f, -1f, 0.75f});
                bias.set(new float[] {0.1f, -0.2f, 0.3f});
                NDArray x = trainer.getManager().create(new float[] {1, 2, -1, 0.5f, 3, -2, 0.25f, 1}, new Shape(4, 2));
                NDArray y = trainer.getManager().create(new float[] {1, 0, -1, 2, 1, 0, -1, 0.5f, 0, 1, 1, -2},
                        new Shape(4, 3));
                TrainerPrimalOptimizer primal = direct ? new TrainerPrimalOptimizer(trainer, adam)
                        : new TrainerPrimalOptimizer(trainer);
                for (int t = 0; t < 5; t++) {
                    try (ai.djl.training.GradientCollector gc = primal.newGradientCollector()) {
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
                        gc.backward(loss);
                    }
                    primal.step();
                }
                assertThat(adam.stepCount("weight")).isEqualTo(5);
                return new float[][] {weight.toFloatArray(), bias.toFloatArray(), weight.getGradient().toFloatArray()};
            }
        }
    }

    @Test
    void aMultiplierByNameWithoutParameterNamesFailsInsteadOfBeingIgnored() {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            // no optParameterNames(block), no bindParameterNames: the Trainer passes "uid-..." ids
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f))
                    .optLearningRateMultiplier(key -> "weight".equals(key) ? 0.5f : 1f).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1));
                NDArray input = trainer.getManager().ones(new Shape(1, 1));
                try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray w = trainer.forward(new NDList(input)).singletonOrThrow().reshape(new Shape());
                    gc.backward(w.sub(2).square());
                }
                String id = block.getParameters().get("weight").getId();

                assertThatThrownBy(trainer::step).isInstanceOf(IllegalStateException.class)
                        .hasMessage("a learning-rate multiplier is set, but parameter " + id + " has no name (DJL's"
                                + " Trainer passes generated ids): give the model's block to the builder"
                                + " (optParameterNames(block)) or call bindParameterNames(block) after"
                                + " trainer.initialize");
                // the weight was not updated with a wrong learning rate
                assertThat(block.getParameters().get("weight").getArray().getFloat()).isEqualTo(0f);

                sgd.bindParameterNames(block);
                trainer.step();
                // the multiplier now applies: w1 = 0 - (0.125 * 0.5) * (-4)
                assertThat(block.getParameters().get("weight").getArray().getFloat()).isEqualTo(0.25f);
            }
        }
    }

    @Test
    void withoutAMultiplierGeneratedIdsStillWork() {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            StatefulSgd sgd = StatefulSgd.builder().optLearningRateTracker(Tracker.fixed(0.125f)).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1));
                NDArray input = trainer.getManager().ones(new Shape(1, 1));
                try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray w = trainer.forward(new NDList(input)).singletonOrThrow().reshape(new Shape());
                    gc.backward(w.sub(2).square());
                }
                trainer.step();
                assertThat(block.getParameters().get("weight").getArray().getFloat()).isEqualTo(0.5f);
            }
        }
    }
}
