package io.github.lagrange4j.sweep;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.DenseTrainer;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.AtomicFiles;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains one run of a sweep in this JVM, into {@code sweepDirectory/RUN_ID}: what a sweep's worker process does.
 *
 * <p>A constrained or penalized run is an ordinary run directory: {@link SparsityRun#start} when it does not
 * exist yet, {@link SparsityRun#resume} (from its newest checkpoint, the settings checked against the stored
 * ones) when it was started, nothing when it is complete. A dense run trains {@link DenseTrainer} (the gated
 * runs' data path and Adam, with the run's batch size, learning rate, training subset and seed; no validation
 * hold-out; the whole test set) for its epochs and writes {@code dense.json}; being short, an interrupted dense
 * run starts again.
 */
public final class SweepRunTraining {

    private SweepRunTraining() {}

    /**
     * Trains the run.
     *
     * @param run the run
     * @param runDirectory its directory
     * @param engine the engine
     * @param device the device
     * @param files the data set's files
     * @param log where to print per-epoch lines
     * @throws IOException if a file cannot be read or written
     */
    public static void train(PlannedRun run, Path runDirectory, Engine engine, Device device, IdxFileSet files,
            PrintWriter log) throws IOException {
        RunProgress progress = RunProgress.of(run, runDirectory);
        if (progress.complete()) {
            log.println(run.id() + ": already complete");
            return;
        }
        if (run.kind() == RunKind.DENSE) {
            trainDense(run, runDirectory, engine, device, files, log);
        } else if (progress.status() == RunProgress.Status.PARTIAL) {
            SparsityRun.resume(runDirectory, run.settings(), false, engine, device, files, Progress.silent(), log);
        } else {
            log.printf("run directory: %s%n%s%n", runDirectory, run.settings());
            SparsityRun.start(run.settings(), runDirectory, engine, device, files, Progress.silent(), log);
        }
        log.flush();
    }

    private static void trainDense(PlannedRun run, Path runDirectory, Engine engine, Device device, IdxFileSet files,
            PrintWriter log) throws IOException {
        RunSettings s = run.settings();
        Files.createDirectories(runDirectory);
        long start = System.nanoTime();
        try (DenseTrainer trainer = new DenseTrainer(s.model().architecture(), s.optimization().batchSize(),
                s.optimization().primalLearningRate(), run.seed(), s.data().trainSubset(), engine, device, files)) {
            double loss = 0;
            for (int epoch = 1; epoch <= run.denseEpochs(); epoch++) {
                loss = trainer.trainEpoch(epoch);
                log.printf(Locale.ROOT, "dense epoch %d/%d: mean training loss %.4f%n", epoch, run.denseEpochs(), loss);
                log.flush();
            }
            JsonObject result = new JsonObject();
            result.addProperty("model", s.model().architecture().name());
            result.addProperty("seed", run.seed());
            result.addProperty("epochs", run.denseEpochs());
            result.addProperty("trainExamples", trainer.trainExamples());
            result.addProperty("testExamples", trainer.testExamples());
            result.addProperty("finalTrainLoss", loss);
            result.addProperty("testError", trainer.testError());
            result.addProperty("seconds", (System.nanoTime() - start) / 1e9);
            AtomicFiles.writeText(runDirectory.resolve(PlannedRun.DENSE_RESULT),
                    new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n");
            log.printf(Locale.ROOT, "dense: test error %.2f%% after %d epochs%n", 100 * trainer.testError(),
                    run.denseEpochs());
        }
    }
}
