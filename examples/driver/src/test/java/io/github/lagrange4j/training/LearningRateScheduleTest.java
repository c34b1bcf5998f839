package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The learning-rate schedules of the main phase. */
class LearningRateScheduleTest {

    @Test
    void theCosineScheduleStartsAtTheBaseRateAndEndsNearZero() {
        assertThat(LearningRateSchedule.CONSTANT.rate(1e-3, 100, 57)).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 1)).isEqualTo(1e-3);
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 51)).isCloseTo(5e-4, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 100)).isCloseTo(2.467e-7, within(1e-10));
        assertThat(LearningRateSchedule.COSINE.rate(1e-3, 100, 500))
                .isEqualTo(LearningRateSchedule.COSINE.rate(1e-3, 100, 100));
        assertThat(LearningRateSchedule.COSINE.tracker(1e-3, 100).getNewValue(51)).isEqualTo(5e-4f);
    }

    @Test
    void labelsParseAndAnUnknownOneNamesTheSetting() {
        assertThat(LearningRateSchedule.of("cosine")).isEqualTo(LearningRateSchedule.COSINE);
        assertThat(LearningRateSchedule.CONSTANT.label()).isEqualTo("constant");
        assertThatThrownBy(() -> LearningRateSchedule.of("step"))
                .hasMessage("schedule.lrSchedule must be 'constant' or 'cosine', got 'step'");
    }
}
