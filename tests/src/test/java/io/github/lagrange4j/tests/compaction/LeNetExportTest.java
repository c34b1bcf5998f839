package io.github.lagrange4j.tests.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.models.GatedLeNet5;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.ModelExport;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lagrange4j export} on a LeNet-5-Caffe run directory (config.json of a LeNet run and the model.params
 * of the hand-gated LeNet of {@link GatedLeNetCompactionTest}): exit code 0, kept outputs 16-35-250-10 and
 * 155,211 parameters, the gated and compacted models agree on all 10,000 genuine test images, and the saved
 * model reloads as plain {@code Conv2d}/{@code Linear} layers.
 */
class LeNetExportTest {

    static String[] engines() {
        return GatedLeNetCompactionTest.ENGINES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void exportedLeNetKeepsThePredictionsAndReloadsAsConvAndLinearLayers(String engine, @TempDir Path dir)
            throws Exception {
        RunSettings settings = RunSettings.quick().withModel(m -> m.withArchitecture(ModelKind.LENET))
                .withObjective(o -> o.withEpsilons(0.1).withPenaltyLambda(0))
                .withOptimization(o -> o.withPrimalLearningRate(1e-3).withGateLearningRate(0.05)
                        .withDualLearningRate(0.02).withBatchSize(64))
                .withSchedule(s -> s.withEpochs(1)).withSeed(5)
                .withData(d -> d.withTrainSubset(2_000).withTestSubset(0));
        Path run = dir.resolve("run");
        Engine e = Engine.getEngine(engine);
        RunManifest.capture(settings, settings.seed(), e.getEngineName(), e.getVersion()).write(run);
        try (NDManager manager = e.newBaseManager()) {
            GatedLeNetCompactionTest.assertEngineConvolutionIsExact(manager);
            e.setRandomSeed(17);
            SequentialBlock gated = GatedLeNet5.build();
            gated.initialize(manager, DataType.FLOAT32, ModelKind.LENET.inputShape(1));
            GatedLeNetCompactionTest.setGates(GatedNetwork.of(gated));
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(run.resolve(SparsityRun.MODEL)))) {
                gated.saveParameters(out);
            }
        }

        ExportCommandTest.Cli cli = ExportCommandTest.export("--run", run.toString(), "--out",
                dir.resolve("exported/lenet-small.params").toString(), "--repeats", "1", "--engine", engine,
                "--data-dir", GenuineMnist.directory().toString());
        System.out.print(cli.out());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        ModelExport.Result r = cli.command().lastResult();
        assertThat(r.modelName()).isEqualTo("lenet-small");
        assertThat(r.outputDirectory()).isEqualTo(dir.resolve("exported"));
        assertThat(r.keptOutputs()).containsExactly(16L, 35L, 250L, 10L);
        assertThat(r.compactParameters()).isEqualTo(155_211L).isEqualTo(r.keptParameters());
        assertThat(r.gatedParameters()).isEqualTo(431_080L + 1_370L);
        assertThat(r.maxAbsLogitDifference()).isLessThan(1e-5);
        assertThat(r.argmaxAgreement()).isEqualTo(1.0);

        try (Model model = Model.newInstance("lenet-small", engine)) {
            SequentialBlock skeleton = Compaction.skeleton(GatedLeNet5.build(), List.of(16L, 35L, 250L, 10L));
            model.setBlock(skeleton);
            model.load(dir.resolve("exported"), "lenet-small");
            int conv = 0;
            for (Pair<String, Block> child : skeleton.getChildren()) {
                if (!child.getValue().getParameters().isEmpty()) {
                    assertThat(child.getValue()).isInstanceOfAny(Linear.class, Conv2d.class);
                    conv += child.getValue() instanceof Conv2d ? 1 : 0;
                }
            }
            assertThat(conv).isEqualTo(2);
            NDArray[] test = TrainedMlpRun.testImages(ModelKind.LENET, 500, model.getNDManager());
            NDArray logits = TrainedMlpRun.logits(skeleton, test[0]);
            assertThat(logits.getShape().get(1)).isEqualTo(10);
            assertThat(Double.isFinite(logits.abs().max().getFloat())).isTrue();
        }
    }
}
