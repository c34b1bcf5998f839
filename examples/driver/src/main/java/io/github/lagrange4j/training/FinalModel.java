package io.github.lagrange4j.training;

import ai.djl.Model;
import io.github.lagrange4j.training.output.AtomicFiles;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes the final model of a run in two files, both atomically ({@link AtomicFiles}): {@link SparsityRun#MODEL}
 * ({@code model.params}, the block's parameters as {@code Block.saveParameters} writes them, read by {@code
 * export} and older tools) and {@link SparsityRun#DJL_MODEL} ({@code gated-model-0000.params}, DJL's model file as
 * {@code Model.save} writes it), which {@code Model.load} opens:
 *
 * <pre>{@code
 * Model model = Model.newInstance("gated", device, engine);
 * model.setBlock(settings.model().architecture().build(true, settings.model().rescaleWeights()));
 * model.load(runDirectory, SparsityRun.DJL_MODEL_NAME);
 * }</pre>
 *
 * <p>{@code Model.save} writes into a fresh temporary directory (so the epoch in the file name is always
 * 0000), whose file is then copied atomically into the run directory and the directory deleted.
 */
final class FinalModel {

    private FinalModel() {}

    /**
     * Writes both files of the final model.
     *
     * @param model the trained model
     * @param runDirectory the run directory
     * @throws IOException if a file cannot be written (the previous files, if any, are left as they were)
     */
    static void save(Model model, Path runDirectory) throws IOException {
        AtomicFiles.write(runDirectory.resolve(SparsityRun.MODEL), out -> {
            try (DataOutputStream dos = new DataOutputStream(out)) {
                model.getBlock().saveParameters(dos);
            }
        });
        Path scratch = Files.createTempDirectory("lagrange4j-model");
        try {
            model.save(scratch, SparsityRun.DJL_MODEL_NAME);
            Path saved = scratch.resolve(SparsityRun.DJL_MODEL);
            AtomicFiles.write(runDirectory.resolve(SparsityRun.DJL_MODEL), out -> Files.copy(saved, out));
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
