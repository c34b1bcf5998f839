package io.github.lagrange4j.training;

import ai.djl.engine.Engine;
import io.github.lagrange4j.training.output.CheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a checkpoint fixture of the current format version: trains {@link TinyCheckpointRun} for one epoch,
 * saves {@code checkpoint-000001.ckpt} into the given directory exactly as a run does, records the parameters
 * and multipliers it holds as {@code golden.txt}, trains a second epoch and records them again (what a run
 * resumed from that checkpoint must reach). See {@code src/test/resources/checkpoints/README.md}: the fixture
 * of format version 1 was written by this class as it stood before format version 2 existed (it then laid out
 * the version-1 payload as {@code TrainingState.snapshot} did); it now writes format version 2.
 *
 * <p>Run from the module directory after {@code mvn test-compile}: {@code java -cp
 * target/test-classes:target/classes:<test classpath>
 * io.github.lagrange4j.training.CheckpointFixtureGenerator src/test/resources/checkpoints/v<N>}.
 */
public final class CheckpointFixtureGenerator {

    private CheckpointFixtureGenerator() {}

    /**
     * Generates the fixture.
     *
     * @param args the output directory
     * @throws IOException if it cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CheckpointFixtureGenerator <output directory>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        try (TinyCheckpointRun run = new TinyCheckpointRun(Engine.getEngine("PyTorch"))) {
            run.trainEpoch(1);
            TrainingState.Parts parts = new TrainingState.Parts(run.model().getBlock(), run.manager(), run.optimizer(),
                    run.adam());
            CheckpointStore.builder().setDirectory(out).build().save(1, TrainingState.sections(parts, null, 1));
            String saved = CheckpointGolden.format("saved", run.parameters(), run.multipliers());
            run.trainEpoch(2);
            String resumed = CheckpointGolden.format("resumed", run.parameters(), run.multipliers());
            Files.writeString(out.resolve(CheckpointGolden.FILE), CheckpointGolden.HEADER + saved + resumed,
                    StandardCharsets.UTF_8);
        }
    }
}
