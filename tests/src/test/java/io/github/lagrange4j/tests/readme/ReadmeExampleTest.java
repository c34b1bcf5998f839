package io.github.lagrange4j.tests.readme;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintState;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.optim.ConstrainedOptimizer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.constrained.primal.TrainerPrimalOptimizer;
import io.github.lagrange4j.constrained.util.Scalars;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.l0.nn.GatedBlock;
import io.github.lagrange4j.l0.problem.ConstraintTerm;
import io.github.lagrange4j.l0.problem.DensityConstraints;
import io.github.lagrange4j.l0.problem.L0Problem;
import io.github.lagrange4j.models.GatedMlp;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistDataset;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's complete library example, compiled and run here: a gated MLP on genuine MNIST under an L0
 * budget (expected density ≤ 0.5) and a user-written constraint (the output layer's mean squared weight at
 * most {@value #NORM_BOUND}; it starts at 0.0206, so the constraint binds) meets both after 3 epochs of
 * 10,000 images. The lines between the markers are
 * the README's snippet; {@link #theReadmeShowsExactlyThisCode} checks that the README holds them verbatim.
 */
class ReadmeExampleTest {

    static final double NORM_BOUND = 0.01;

    private static final String BEGIN = "// README example: begin";
    private static final String END = "// README example: end";

    @Test
    void anL0BudgetAndAUserConstraintAreBothMetWithinThreeEpochsOnMnist() throws Exception {
        Path mnistDirectory = GenuineMnist.directory();
        // README example: begin
        Block net = GatedMlp.build();                    // 784-300-100-10, three L0Linear layers
        try (Model model = Model.newInstance("gated-mlp")) {
            model.setBlock(net);
            StatefulAdam adam = StatefulAdam.builder()
                    .optLearningRateTracker(Tracker.fixed(2e-3f))
                    .optLearningRateMultiplier(key -> LogAlpha.isGateParameter(key) ? 50f : 1f) // gates at 0.1
                    .optParameterNames(net)              // keys are parameter paths such as "02L0Linear_log_alpha"
                    .build();
            Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam));
            trainer.initialize(new Shape(100, 784));
            GatedNetwork gated = GatedNetwork.of(net);

            // the L0 budget, and a user constraint: mean(W_out²) ≤ 0.01, as a relative violation (order 1)
            ConstraintTerm<Batch> budget = DensityConstraints.modelWise(gated, 0.5);
            NDArray outWeight = ((GatedBlock) gated.layers().get(2)).weight().getArray();
            ConstraintTerm<Batch> norm = ConstraintTerm.of(Constraint.inequality("out_weight_norm", 1),
                    (batch, manager) -> ConstraintState.of(
                            Scalars.div(outWeight.square().mean(), 0.01).sub(1).reshape(1)));
            L0Problem<Batch> problem = L0Problem.<Batch>builder()
                    .setTaskLoss(b -> trainer.getLoss().evaluate(b.getLabels(), trainer.forward(b.getData())))
                    .addConstraint(budget)
                    .addConstraint(norm)
                    .build();
            ConstrainedOptimizer<Batch> optimizer = ConstrainedOptimizer.<Batch>builder()
                    .setProblem(problem)
                    .setPrimalOptimizer(new TrainerPrimalOptimizer(trainer))
                    .setDualOptimizer(DualSgd.of(0.5))   // λ ← max(0, λ + 0.5 · violation), per step
                    .optDualOptimizer(norm.constraint(), DualSgd.of(0.05)) // its own step size
                    .optDualRestarts(true)
                    .build();

            MnistDataset train = MnistDataset.builder()
                    .setFiles(IdxFileSet.mnist(mnistDirectory)).setManager(model.getNDManager())
                    .optNormalization(Normalization.MNIST_STANDARDIZED)    // the CLI's; the default is [0, 1]
                    .optSubset(10_000).setSampling(100, true).build();
            train.prepare();
            StepRecord last = null;
            for (int epoch = 1; epoch <= 3; epoch++) {
                for (Batch batch : trainer.iterateDataset(train)) {
                    try (batch) {
                        last = optimizer.step(batch);    // forward, Lagrangian, backward, Adam, dual step, log α clamp
                    }
                }
            }
            NetworkAccount account = NetworkAccount.of(gated);
            double density = account.expectedDensity();  // ≤ 0.5
            double meanSquare = outWeight.square().mean().getFloat(); // ≤ 0.01
            // README example: end
            System.out.printf("README example: density %.4f, mean(W_out^2) %.5f, pruned %s, lambda %s%n", density,
                    meanSquare, account.prunedArchitecture(), last.multipliers().keySet());
            trainer.close();

            assertThat(density).isLessThanOrEqualTo(0.5 + 0.01);
            assertThat(meanSquare).isLessThanOrEqualTo(NORM_BOUND * 1.05);
            assertThat(account.prunedArchitecture()).isNotEqualTo("784-300-100");
        }
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/github/lagrange4j/tests/readme/"
                + "ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        int begin = indexOf(source, BEGIN);
        int end = indexOf(source, END);
        String indent = source.get(begin).substring(0, source.get(begin).indexOf(BEGIN));
        StringBuilder snippet = new StringBuilder();
        for (String line : source.subList(begin + 1, end)) {
            snippet.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
        }
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);

        assertThat(readme).as("README.md must hold the lines between the markers of ReadmeExampleTest, de-indented")
                .contains("```java\n" + snippet + "```\n");
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker not found: " + marker);
    }
}
