package io.github.lagrange4j.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.l0.compact.Agreement;
import io.github.lagrange4j.l0.compact.CompactedModel;
import io.github.lagrange4j.l0.compact.Compaction;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exports a finished run: compacts its final gated model (Louizos et al., 2018: dead inputs and channels
 * removed, deterministic gates ẑ folded into the weights) into an ordinary DJL model, saves it with
 * {@code Model.save} next to a JSON description of the kept architecture, checks that it predicts like the
 * gated model on the test set and measures size and inference speed.
 *
 * <p>Order: read {@code config.json} and {@code model.params} of the run; rebuild and load the gated block;
 * {@link Compaction#compact}; save {@code NAME-0000.params} and {@code NAME.json} (fields {@code model},
 * {@code keptOutputs}, ... — reload with {@code Compaction.skeleton(model.build(true, false), keptOutputs)}
 * and {@code Model.load(dir, NAME)}); compare the logits on the test set; time both models (batch
 * {@link #BATCH}, one warm-up pass, then the median images/s of {@code repeats} passes, gated and compacted
 * alternating). The caller judges the logit difference (the command line fails above {@code 1e-4}).
 */
public final class ModelExport {

    /** The batch size of the comparison and of the timing. */
    public static final int BATCH = 1000;

    private ModelExport() {}

    /**
     * What an export measured.
     *
     * @param runDirectory the run that was exported
     * @param outputDirectory where the compacted model was saved
     * @param modelName the saved model's name ({@code NAME-0000.params}, {@code NAME.json})
     * @param keptOutputs the kept outputs of every gated layer
     * @param prunedArchitecture the non-zero test-time gates per layer
     * @param gatedParameters all arrays of the gated model (weights, biases and log α)
     * @param keptParameters the kept parameter count reported by the accounting
     * @param compactParameters the parameters of the compacted model
     * @param gatedFileBytes the size of the run's {@code model.params}
     * @param compactFileBytes the size of the compacted {@code .params} file
     * @param testImages the images compared and timed
     * @param maxAbsLogitDifference {@code max |logits_gated − logits_compact|} over the test set
     * @param argmaxAgreement the fraction of test images with the same predicted class
     * @param gatedAccuracy the gated model's test accuracy
     * @param compactAccuracy the compacted model's test accuracy
     * @param gatedImagesPerSecond the gated model's median inference throughput
     * @param compactImagesPerSecond the compacted model's median inference throughput
     * @param budget whether the compacted model meets the run's density budget (no entries if penalized)
     */
    public record Result(Path runDirectory, Path outputDirectory, String modelName, List<Long> keptOutputs,
            String prunedArchitecture, long gatedParameters, long keptParameters, long compactParameters,
            long gatedFileBytes, long compactFileBytes, int testImages, double maxAbsLogitDifference,
            double argmaxAgreement, double gatedAccuracy, double compactAccuracy, double gatedImagesPerSecond,
            double compactImagesPerSecond, BudgetCheck budget) {

        /** Copies the list. */
        public Result {
            keptOutputs = List.copyOf(keptOutputs);
        }

        /**
         * Returns the inference speed-up of the compacted model, measured in the same run.
         *
         * @return compacted images/s divided by gated images/s
         */
        public double speedup() {
            return compactImagesPerSecond / gatedImagesPerSecond;
        }
    }

    /**
     * Exports a finished run.
     *
     * @param runDirectory a run directory holding {@code config.json} and {@code model.params}
     * @param outputDirectory where to save the compacted model
     * @param name the compacted model's name
     * @param engine the engine
     * @param device the device
     * @param files the run's data set (its test split is compared and timed)
     * @param repeats timed passes per model, {@code ≥ 1}
     * @return what was measured
     * @throws IOException if a file cannot be read or written, or {@code model.params} does not fit the model
     * @throws IllegalArgumentException naming {@code repeats} or {@code runDirectory} if invalid
     */
    public static Result export(Path runDirectory, Path outputDirectory, String name, Engine engine, Device device,
            IdxFileSet files, int repeats) throws IOException {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        Path params = runDirectory.resolve(SparsityRun.MODEL);
        if (!Files.isRegularFile(params)) {
            throw new IllegalArgumentException("runDirectory " + runDirectory + " has no " + SparsityRun.MODEL
                    + " (the run has not finished)");
        }
        RunSettings settings = RunManifest.read(runDirectory).configurationAs(RunSettings.class);
        try (NDManager manager = engine.newBaseManager(device);
                Model compactModel = Model.newInstance(name, device, engine.getEngineName())) {
            SequentialBlock gated = (SequentialBlock) settings.model().architecture().build(true,
                    settings.model().rescaleWeights());
            gated.initialize(manager, DataType.FLOAT32, settings.model().architecture().inputShape(1));
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
                gated.loadParameters(manager, in);
            } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
                throw new IOException(params + " cannot be loaded into a gated " + settings.model().architecture().title() + ": "
                        + e.getMessage(), e);
            }
            NetworkAccount account = NetworkAccount.of(GatedNetwork.of(gated));
            CompactedModel compact = Compaction.compact(gated, compactModel.getNDManager());
            compactModel.setBlock(compact.block());
            compactModel.setProperty("Epoch", "0");
            compactModel.save(outputDirectory, name);
            writeDescription(outputDirectory.resolve(name + ".json"), settings, name, compact, account);

            MnistBatches test = MnistBatches.load(files, Dataset.Usage.TEST, settings.data().normalization(), 0,
                    settings.model().architecture().inputShape(1).slice(1), manager);
            List<NDArray[]> batches = new ArrayList<>();
            for (int b = 0; b < test.batches(BATCH); b++) {
                batches.add(test.batch(manager, null, b, BATCH));
            }
            Agreement agreement = Agreement.measure(gated, compact.block(), batches, manager);
            double[][] rates = throughput(gated, compact.block(), batches, test.examples(), manager, repeats);
            return new Result(runDirectory, outputDirectory, name, compact.keptOutputs(), account.prunedArchitecture(),
                    count(gated), account.keptParameters(), compact.parameterCount(), Files.size(params),
                    Files.size(outputDirectory.resolve(name + "-0000.params")), test.examples(),
                    agreement.maxAbsDifference(), agreement.argmaxAgreement(), agreement.referenceAccuracy(),
                    agreement.candidateAccuracy(), Statistics.median(rates[0]), Statistics.median(rates[1]),
                    BudgetCheck.of(settings, account));
        }
    }

    private static void writeDescription(Path file, RunSettings settings, String name, CompactedModel compact,
            NetworkAccount account) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("format", "lagrange4j-compact/1");
        o.addProperty("model", settings.model().architecture().name());
        o.addProperty("name", name);
        o.addProperty("parametersFile", name + "-0000.params");
        JsonArray kept = new JsonArray();
        compact.keptOutputs().forEach(kept::add);
        o.add("keptOutputs", kept);
        o.addProperty("prunedArchitecture", account.prunedArchitecture());
        o.addProperty("parameters", compact.parameterCount());
        JsonArray shape = new JsonArray();
        Arrays.stream(settings.model().architecture().inputShape(1).getShape()).forEach(shape::add);
        o.add("inputShape", shape);
        o.addProperty("normalization", settings.data().normalization().label());
        o.addProperty("reload", "Compaction.skeleton(ModelKind." + settings.model().architecture().name()
                + ".build(true, false), keptOutputs); model.setBlock(skeleton); model.load(dir, name)");
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o), StandardCharsets.UTF_8);
    }

    /** Returns {gated images/s per repeat, compact images/s per repeat}, after one warm-up pass each. */
    private static double[][] throughput(Block gated, Block compact, List<NDArray[]> batches, int images,
            NDManager manager, int repeats) {
        pass(gated, batches, manager);
        pass(compact, batches, manager);
        double[][] rates = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            rates[0][r] = images / pass(gated, batches, manager);
            rates[1][r] = images / pass(compact, batches, manager);
        }
        return rates;
    }

    /** Times one inference pass over the batches, in seconds. */
    private static double pass(Block block, List<NDArray[]> batches, NDManager manager) {
        long start = System.nanoTime();
        for (NDArray[] batch : batches) {
            try (NDManager scope = manager.newSubManager()) {
                scope.tempAttachAll(batch[0]);
                forward(block, batch[0], scope).getFloat(0, 0);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs inference on {@code x}, which the caller has temporarily attached to {@code scope}. */
    private static NDArray forward(Block block, NDArray x, NDManager scope) {
        NDArray y = block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
        scope.tempAttachAll(y);
        return y;
    }

    private static long count(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }
}
