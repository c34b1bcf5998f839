package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.optim.UpdateScheme;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.Normalization;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code config.json} keeps the flat layout every version wrote. The fixtures under
 * {@code src/test/resources/io/github/lagrange4j/training/settings}: {@code main-5d3e57f-*.json} were written by
 * the flat 27-field record of commit 5d3e57f ({@code RunManifest.of(settings, ...).write(dir)}) and read as the
 * same settings in groups, and writing those back gives the same file byte for byte; {@code v1-*}, {@code v2-*}
 * and {@code v3-*} have the keys of the record's three older forms (20 settings; then the dual method; then
 * fine-tuning, validation size and learning-rate schedule), so that the settings they predate read as their
 * documented defaults.
 */
class RunSettingsJsonTest {

    @TempDir
    Path dir;

    /** Copies a committed {@code config.json} into a run directory and reads its settings. */
    private RunManifest manifest(String fixture) throws IOException {
        try (InputStream in = RunSettingsJsonTest.class.getResourceAsStream("settings/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            Files.write(dir.resolve(RunManifest.FILE), in.readAllBytes());
        }
        return RunManifest.read(dir);
    }

    private static String text(String fixture) throws IOException {
        try (InputStream in = RunSettingsJsonTest.class.getResourceAsStream("settings/" + fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Stream<Arguments> filesWrittenByTheFlatRecord() {
        return Stream.of(
                Arguments.of("main-5d3e57f-layer-wise-certified.json",
                        RunSettings.certified(ModelKind.MLP, Approach.CONSTRAINED)
                                .withObjective(o -> o.withScope(ConstraintScope.LAYER).withEpsilons(0.3, 0.3, 0.3))
                                .withSeed(1)),
                Arguments.of("main-5d3e57f-penalized-certified.json",
                        RunSettings.certified(ModelKind.MLP, Approach.PENALIZED).withSeed(1)),
                Arguments.of("main-5d3e57f-lenet-every-setting.json", new RunSettings(
                        new ModelSettings(ModelKind.LENET, true),
                        new ObjectiveSettings(Approach.CONSTRAINED, ConstraintScope.LAYER,
                                new double[] {0.5, 0.3, 0.1, 0.5}, 0.01, 0.1, PenaltyForm.LOUIZOS),
                        new OptimizationSettings(2e-3, 3e-2, 5e-3, new DualMethod(DualMethod.Kind.NUPI, 2, 0.5),
                                false, UpdateScheme.ALTERNATING_PRIMAL_DUAL, 64),
                        new DataSettings(DatasetKind.FASHION_MNIST, Normalization.UNIT_INTERVAL, 20_000, 5_000,
                                2_000),
                        new ScheduleSettings(12, LearningRateSchedule.COSINE, 5, 1e-4, 0.5, 3), 7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesWrittenByTheFlatRecord")
    void aFileWrittenByTheFlatRecordReadsAsGroupsAndIsWrittenBackByteForByte(String fixture, RunSettings expected)
            throws IOException {
        RunManifest stored = manifest(fixture);
        RunSettings settings = stored.configurationAs(RunSettings.class);

        assertThat(settings).isEqualTo(expected);
        assertThat(settings.differences(expected)).isEmpty();
        Path again = dir.resolve("again");
        RunManifest.of(settings, stored.seed(), stored.engineName(), stored.engineVersion(), stored.djlVersion(),
                stored.javaVersion(), stored.os(), stored.startTime()).write(again);
        assertThat(Files.readString(again.resolve(RunManifest.FILE))).isEqualTo(text(fixture));
    }

    @Test
    void theFirstFormWithoutDualMethodFinetuningValidationScheduleOrRecipeReadsAsTheirDefaults() throws IOException {
        RunSettings read = manifest("v1-2025-11-25-twenty-settings.json").configurationAs(RunSettings.class);

        assertThat(read).isEqualTo(RunSettings.quick().withData(d -> d.withValidationSize(0)));
        assertThat(read.optimization().dualMethod()).isEqualTo(DualMethod.SGD);
        assertThat(read.schedule()).isEqualTo(new ScheduleSettings(10, LearningRateSchedule.CONSTANT, 0, 0, null, 1));
        assertThat(read.objective().budgetMargin()).isZero();
    }

    @Test
    void theFormWithTheDualMethodKeepsIt() throws IOException {
        RunSettings read = manifest("v2-dual-method.json").configurationAs(RunSettings.class);

        assertThat(read).isEqualTo(RunSettings.paper(ModelKind.LENET, Approach.CONSTRAINED)
                .withOptimization(o -> o.withDualMethod(DualMethod.of(DualMethod.Kind.NUPI)))
                .withData(d -> d.withValidationSize(0)));
    }

    @Test
    void theFormWithFinetuningButWithoutTheRecipeSettingsReadsWithoutMarginDecayOrNoise() throws IOException {
        RunSettings read = manifest("v3-finetune-validation-schedule.json").configurationAs(RunSettings.class);

        assertThat(read).isEqualTo(RunSettings.paper(ModelKind.MLP, Approach.PENALIZED)
                .withData(d -> d.withDataset(DatasetKind.FASHION_MNIST))
                .withSchedule(s -> s.withFinetuneEpochs(20).withLrSchedule(LearningRateSchedule.COSINE)));
        assertThat(read.schedule().finetuneGateNoise()).isNull();
        assertThat(read.schedule().finetuneWeightDecay()).isZero();
    }

    @Test
    void aMacBudgetIsStoredAsScopeMacsAndReadBack() throws IOException {
        Files.writeString(dir.resolve(RunManifest.FILE), text("v1-2025-11-25-twenty-settings.json")
                .replace("\"scope\": \"MODEL\"", "\"scope\": \"MACS\""));
        RunSettings read = RunManifest.read(dir).configurationAs(RunSettings.class);
        assertThat(read).isEqualTo(RunSettings.quick().withData(d -> d.withValidationSize(0))
                .withObjective(o -> o.withScope(ConstraintScope.MACS)));

        Path again = dir.resolve("again");
        RunManifest.of(read, 42, "PyTorch", "2.7.1", "0.36.0", "17", "linux",
                java.time.Instant.parse("2026-01-01T00:00:00Z")).write(again);
        assertThat(Files.readString(again.resolve(RunManifest.FILE))).contains("\"scope\": \"MACS\"");
        assertThat(RunManifest.read(again).configurationAs(RunSettings.class)).isEqualTo(read);

        Files.writeString(dir.resolve(RunManifest.FILE), text("v1-2025-11-25-twenty-settings.json")
                .replace("\"scope\": \"MODEL\"", "\"scope\": \"MACS\"").replace("0.33", "1.5"));
        RunManifest bad = RunManifest.read(dir);
        assertThatThrownBy(() -> bad.configurationAs(RunSettings.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("objective.epsilons: a MAC budget must be in (0, 1], got 1.5");
    }

    @Test
    void anInvalidStoredSettingIsRefusedNamingIt() throws IOException {
        Files.writeString(dir.resolve(RunManifest.FILE), text("v1-2025-11-25-twenty-settings.json")
                .replace("\"epochs\": 10", "\"epochs\": 0"));
        RunManifest stored = RunManifest.read(dir);
        assertThatThrownBy(() -> stored.configurationAs(RunSettings.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("schedule.epochs must be >= 1, got 0");

        Files.writeString(dir.resolve(RunManifest.FILE), text("v1-2025-11-25-twenty-settings.json")
                .replace("\"standardized\"", "\"zscore\""));
        RunManifest unknown = RunManifest.read(dir);
        assertThatThrownBy(() -> unknown.configurationAs(RunSettings.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalization must be 'standardized' or 'unit', got 'zscore'");
    }
}
