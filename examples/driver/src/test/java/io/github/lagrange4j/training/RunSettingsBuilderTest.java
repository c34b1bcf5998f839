package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.training.output.RunManifest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Settings are changed by name from a preset and validated as a whole. */
class RunSettingsBuilderTest {

    @Test
    void theBuilderStartsFromTheQuickPresetAndRoundTripsAnySettings() {
        assertThat(RunSettings.builder().build()).isEqualTo(RunSettings.quick());
        RunSettings paper = RunSettings.paper(ModelKind.LENET, Approach.PENALIZED);
        assertThat(paper.toBuilder().build()).isEqualTo(paper);
    }

    @Test
    void onlyTheNamedSettingsChange() {
        RunSettings paper = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED);
        RunSettings changed = paper.toBuilder().epochs(3).dualMethod(DualMethod.of(DualMethod.Kind.ADAM)).build();

        assertThat(changed.epochs()).isEqualTo(3);
        assertThat(changed.dualMethod().kind()).isEqualTo(DualMethod.Kind.ADAM);
        assertThat(changed.toBuilder().epochs(200).dualMethod(DualMethod.SGD).build()).isEqualTo(paper);
    }

    @Test
    void buildValidatesAndNamesTheOption() {
        assertThatThrownBy(() -> RunSettings.builder().epsilons(1.5).build())
                .hasMessage("epsilon must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> RunSettings.builder().scope(ConstraintScope.LAYER).epsilons(0.3).build())
                .hasMessage("epsilon: a layer-wise budget for MLP needs 3 target(s), got 1");
    }

    @Test
    void aConfigurationWrittenBeforeTheDualMethodExistedReadsAsGradientAscent() {
        RunSettings paper = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED);
        RunManifest manifest = RunManifest.of(paper, 42, "PyTorch", "2.7.1", "0.36.0", "17", "Linux",
                Instant.EPOCH);
        JsonObject json = JsonParser.parseString(manifest.configurationJson()).getAsJsonObject();
        assertThat(json.remove("dualMethod")).isNotNull();
        RunManifest old = RunManifest.of(json, 42, "PyTorch", "2.7.1", "0.36.0", "17", "Linux", Instant.EPOCH);

        assertThat(old.configurationAs(RunSettings.class)).isEqualTo(paper);
    }

    @Test
    void aConfigurationWrittenBeforeFinetuningValidationAndScheduleExistedReadsAsNoneOfThem() {
        RunSettings paper = RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED);
        RunManifest manifest = RunManifest.of(paper, 42, "PyTorch", "2.7.1", "0.36.0", "17", "Linux",
                Instant.EPOCH);
        JsonObject json = JsonParser.parseString(manifest.configurationJson()).getAsJsonObject();
        assertThat(json.remove("finetuneEpochs")).isNotNull();
        assertThat(json.remove("validationSize")).isNotNull();
        assertThat(json.remove("lrSchedule")).isNotNull();
        RunManifest old = RunManifest.of(json, 42, "PyTorch", "2.7.1", "0.36.0", "17", "Linux", Instant.EPOCH);

        RunSettings read = old.configurationAs(RunSettings.class);
        assertThat(read).isEqualTo(paper.toBuilder().validationSize(0).build());
        assertThat(read.finetuneEpochs()).isZero();
        assertThat(read.lrSchedule()).isEqualTo("constant");
        assertThat(paper.validationSize()).isEqualTo(RunSettings.DEFAULT_VALIDATION_SIZE);
    }

    @Test
    void theCosineScheduleStartsAtTheBaseRateAndEndsNearZero() {
        assertThat(LearningRateSchedule.CONSTANT.rate(1e-3, 100, 57)).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 1)).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 51)).isCloseTo(5e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 100)).isCloseTo(2.467e-7, org.assertj.core.api.Assertions.within(1e-10));
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 500)).isEqualTo(LearningRateSchedule.COSINE.rate(1e-3, 100, 100));
        assertThat(LearningRateSchedule.COSINE.tracker(1e-3, 100).getNewValue(51)).isEqualTo(5e-4f);
        assertThatThrownBy(() -> LearningRateSchedule.of("step"))
                .hasMessage("lr-schedule must be 'constant' or 'cosine', got 'step'");
    }
}
