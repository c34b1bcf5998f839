package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import io.github.lagrange4j.constrained.primal.PrimalState;
import io.github.lagrange4j.training.output.Checkpoint;
import io.github.lagrange4j.training.output.CheckpointSection;
import io.github.lagrange4j.training.output.CheckpointStore;
import io.github.lagrange4j.training.output.CorruptCheckpointException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by earlier builds still load. {@code src/test/resources/checkpoints/v<N>/} holds one real
 * checkpoint per format version, of the {@link TinyCheckpointRun} after epoch 1, with the golden parameters and
 * multipliers it holds and those the run reached after epoch 2 (the resources' README says how each was
 * produced). Each loads into a freshly built run exactly, and one more epoch from it reaches the parameters of
 * the uninterrupted run of the build that wrote it, within float rounding (later builds may round a step
 * differently; exact resume within one build is {@code InProcessResumeTest}'s). A damaged file or section is refused naming the version or the section.
 */
class CheckpointFixtureTest {

    /** How far the resumed epoch may round differently from the build that wrote the fixture (relative). */
    private static final float RESUMED_ROUNDING = 1e-5f;

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @ParameterizedTest(name = "format version {0}")
    @ValueSource(ints = {1, 2})
    void theFixtureLoadsTheStateItWasWrittenWithAndResumesToTheUninterruptedParameters(int version)
            throws IOException {
        Path fixture = fixture(version);
        Path golden = fixture.resolve(CheckpointGolden.FILE);
        try (TinyCheckpointRun run = new TinyCheckpointRun(Engine.getEngine("PyTorch"))) {
            Checkpoint checkpoint = newest(fixture);
            assertThat(checkpoint.formatVersion()).isEqualTo(version);

            TrainingState.Restored restored = restore(run, checkpoint);

            assertThat(restored.epoch()).isEqualTo(1);
            assertThat(restored.fineTuner()).isNull();
            assertSame(run.parameters(), CheckpointGolden.parameters(golden, "saved"));
            assertThat(run.multipliers()).usingRecursiveComparison()
                    .isEqualTo(CheckpointGolden.multipliers(golden, "saved"));
            assertThat(run.optimizer().stepCount()).isEqualTo(TinyCheckpointRun.IMAGES / TinyCheckpointRun.BATCH);

            run.trainEpoch(2);

            // the build that wrote the fixture took this epoch with per-layer gate samples and per-layer density
            // sums; this build draws all layers' gates at once and sums the density in one pass: the same noise
            // and the same rule, float rounding apart (1 ulp in one of 144 parameters when that changed)
            assertParametersClose(run.parameters(), CheckpointGolden.parameters(golden, "resumed"));
            assertClose(run.multipliers(), CheckpointGolden.multipliers(golden, "resumed"));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void theVersion2FixtureHoldsTheSectionsOfARunAndTheTrainersAdamInsideThePrimalOptimizersSection()
            throws IOException {
        Checkpoint checkpoint = newest(fixture(2));

        assertThat(checkpoint.sections()).extracting(CheckpointSection::name)
                .containsExactly("training-state", "parameters", "primal-optimizer", "dual");
        assertThat(checkpoint.sections()).extracting(CheckpointSection::version).containsOnly(1);
        try (TinyCheckpointRun run = new TinyCheckpointRun(Engine.getEngine("PyTorch"))) {
            restore(run, checkpoint);
            ByteArrayOutputStream adam = new ByteArrayOutputStream();
            run.adam().saveState(new DataOutputStream(adam));
            byte[] primal = checkpoint.section("primal-optimizer").body();
            // the primal side's header ("trainer", version 1), "stateful", then the Adam state bit for bit
            byte[] header = header("trainer", 1);
            assertThat(Arrays.copyOf(primal, header.length)).isEqualTo(header);
            assertThat(primal[header.length]).isEqualTo((byte) 1);
            assertThat(Arrays.copyOfRange(primal, header.length + 1, primal.length)).isEqualTo(adam.toByteArray());
            assertThat(run.adam().stepCount("01L0Linear_weight")).isEqualTo(3);
        }
    }

    @Test
    void aCheckpointOfAnUnknownFormatVersionIsRefusedNamingTheVersion() throws IOException {
        Path fixture = fixture(2);
        Path file = fixture.resolve(CheckpointStore.fileName(1));
        byte[] bytes = Files.readAllBytes(file);
        bytes[11] = 3;
        Files.write(file, bytes);

        assertThatThrownBy(() -> newest(fixture)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("checkpoint-000001.ckpt: format version 3 is not supported (this build reads 1"
                        + " and 2)");
        assertThat(warnings).singleElement().asString().contains("format version 3 is not supported");
    }

    @Test
    void aSectionOfAnUnknownVersionIsRefusedNamingTheSectionAndTheVersion() throws IOException {
        Checkpoint checkpoint = newest(fixture(2));
        List<CheckpointSection> sections = new ArrayList<>();
        for (CheckpointSection s : checkpoint.sections()) {
            sections.add(s.name().equals("dual") ? new CheckpointSection("dual", 2, s.body()) : s);
        }
        Path other = Files.createDirectory(dir.resolve("other"));
        CheckpointStore.builder().setDirectory(other).build().save(1, sections);

        try (TinyCheckpointRun run = new TinyCheckpointRun(Engine.getEngine("PyTorch"))) {
            assertThatThrownBy(() -> restore(run, newest(other)))
                    .hasMessage("section 'dual' (version 2) is not supported: this build reads versions 1 to 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"training-state", "parameters", "primal-optimizer", "dual"})
    void aDamagedByteInASectionIsReportedNamingThatSection(String section) throws IOException {
        Path fixture = fixture(2);
        Path file = fixture.resolve(CheckpointStore.fileName(1));
        Checkpoint checkpoint = newest(fixture);
        byte[] bytes = Files.readAllBytes(file);
        int body = bodyOffset(checkpoint, section);
        bytes[body + checkpoint.section(section).body().length / 2] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> newest(fixture)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("SHA-256 mismatch")
                .hasMessageContaining("(corrupted: section '" + section + "' (version 1) fails its CRC-32 check");
    }

    @Test
    void aCheckpointCutInsideASectionIsReportedNamingThatSection() throws IOException {
        Path fixture = fixture(2);
        Path file = fixture.resolve(CheckpointStore.fileName(1));
        Checkpoint checkpoint = newest(fixture);
        byte[] bytes = Files.readAllBytes(file);
        int cut = bodyOffset(checkpoint, "parameters") + 100;
        Files.write(file, Arrays.copyOf(bytes, cut));

        assertThatThrownBy(() -> newest(fixture)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("truncated: the payload has " + (cut - 56) + " of " + (bytes.length - 56)
                        + " bytes: cut inside section 'parameters' (version 1): its body has 100 of "
                        + checkpoint.section("parameters").body().length + " bytes");
    }

    @Test
    void aSectionThatDoesNotFitItsReaderIsReportedNamingTheSection() throws IOException {
        Checkpoint checkpoint = newest(fixture(2));
        List<CheckpointSection> sections = new ArrayList<>();
        for (CheckpointSection s : checkpoint.sections()) {
            sections.add(s.name().equals("primal-optimizer")
                    ? new CheckpointSection("primal-optimizer", 1, header(PrimalState.STATELESS, 1)) : s);
        }
        Path other = Files.createDirectory(dir.resolve("other"));
        CheckpointStore.builder().setDirectory(other).build().save(1, sections);

        try (TinyCheckpointRun run = new TinyCheckpointRun(Engine.getEngine("PyTorch"))) {
            assertThatThrownBy(() -> restore(run, newest(other)))
                    .hasMessage("section 'primal-optimizer' (version 1): the primal optimizer state was written by a"
                            + " primal side of kind 'stateless' (version 1), this primal optimizer is of kind 'trainer'");
        }
    }

    private static TrainingState.Restored restore(TinyCheckpointRun run, Checkpoint checkpoint) throws IOException {
        TrainingState.Parts parts = new TrainingState.Parts(run.model().getBlock(), run.manager(), run.optimizer(),
                run.adam());
        return TrainingState.restore(checkpoint, parts, () -> {
            throw new AssertionError("the fixture is not in its fine-tuning phase");
        });
    }

    private Checkpoint newest(Path directory) throws IOException {
        return CheckpointStore.builder().setDirectory(directory).optWarnings(warnings::add).build()
                .loadNewestValid().orElseThrow();
    }

    /** Copies the committed fixture of a format version (checkpoint and golden values) into a fresh directory. */
    private Path fixture(int version) throws IOException {
        Path target = Files.createDirectories(dir.resolve("v" + version));
        for (String name : List.of(CheckpointStore.fileName(1), CheckpointGolden.FILE)) {
            try (InputStream in = CheckpointFixtureTest.class.getResourceAsStream(
                    "/checkpoints/v" + version + "/" + name)) {
                assertThat(in).as("fixture v%d/%s", version, name).isNotNull();
                Files.copy(in, target.resolve(name));
            }
        }
        return target;
    }

    /** The file offset of a section's body: header, section count, then each section's framing and body. */
    private static int bodyOffset(Checkpoint checkpoint, String name) {
        int offset = 56 + 4;
        for (CheckpointSection s : checkpoint.sections()) {
            offset += 2 + s.name().length() + 4 + 8 + 4;
            if (s.name().equals(name)) {
                return offset;
            }
            offset += s.body().length;
        }
        throw new AssertionError("no section " + name);
    }

    private static byte[] header(String kind, int version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrimalState.write(new DataOutputStream(bytes), kind, version);
        return bytes.toByteArray();
    }

    private static void assertParametersClose(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertClose(widened(actual), widened(expected));
    }

    private static Map<String, double[]> widened(Map<String, float[]> values) {
        Map<String, double[]> out = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            double[] w = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                w[i] = v[i];
            }
            out.put(name, w);
        });
        return out;
    }

    private static void assertClose(Map<String, double[]> actual, Map<String, double[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            double[] a = actual.get(name);
            double[] e = expected.get(name);
            assertThat(a).as(name).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertThat(a[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(RESUMED_ROUNDING * Math.max(1d, Math.abs(e[i]))));
            }
        }
    }

    private static void assertSame(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
    }
}
