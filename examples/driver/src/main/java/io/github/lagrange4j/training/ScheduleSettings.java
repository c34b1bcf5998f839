package io.github.lagrange4j.training;

/**
 * How the run unfolds over epochs: the main phase, the fine-tuning phase after it, and how often its state is
 * saved.
 *
 * <p>Epochs {@code 1..epochs} minimise the objective over weights and gates, with the primal learning rates
 * following {@code lrSchedule}. Epochs {@code epochs+1..epochs+finetuneEpochs} fine-tune the weights under a
 * fixed mask that fills the budget (the gates frozen, a cosine-decaying rate, Adam with L2 weight decay
 * {@code finetuneWeightDecay}, optionally keeping the hard-concrete noise on the kept gates at
 * {@code log α = finetuneGateNoise}). The fine-tuning settings are here, not in {@link OptimizationSettings},
 * because they only exist as part of that second phase and take effect only if it has epochs. A checkpoint is
 * written every {@code checkpointEvery} epochs and at the end of each phase.
 *
 * @param epochs epochs of the main phase, {@code ≥ 1}
 * @param lrSchedule the learning-rate schedule of the main phase; null (a {@code config.json} written before
 *     this setting existed) means {@link LearningRateSchedule#CONSTANT}
 * @param finetuneEpochs epochs of the fine-tuning phase, {@code ≥ 0} (0 = none, also for an older
 *     {@code config.json})
 * @param finetuneWeightDecay the coupled L2 weight decay of the fine-tuning phase's Adam, {@code ≥ 0}
 * @param finetuneGateNoise the kept gates' log α during fine-tuning if the hard-concrete gate noise is kept on
 *     them (the smaller, the noisier; in {@code [−1.5, 4.6]}); null = deterministic gates (also for an older
 *     {@code config.json})
 * @param checkpointEvery write a checkpoint every this many epochs, {@code ≥ 1}
 */
public record ScheduleSettings(int epochs, LearningRateSchedule lrSchedule, int finetuneEpochs,
        double finetuneWeightDecay, Double finetuneGateNoise, int checkpointEvery) {

    /**
     * Validates every component; messages name the setting, e.g. {@code schedule.epochs}.
     *
     * @throws IllegalArgumentException naming the setting whose value is out of range
     */
    public ScheduleSettings {
        lrSchedule = lrSchedule == null ? LearningRateSchedule.CONSTANT : lrSchedule;
        SettingChecks.requireAtLeast("schedule.epochs", epochs, 1);
        SettingChecks.requireAtLeast("schedule.finetuneEpochs", finetuneEpochs, 0);
        SettingChecks.requirePositive("schedule.finetuneWeightDecay", finetuneWeightDecay, true);
        if (finetuneGateNoise != null && !(finetuneGateNoise >= GateNoise.MIN_KEPT && finetuneGateNoise <= 4.6)) {
            throw new IllegalArgumentException("schedule.finetuneGateNoise must be a log alpha in [-1.5, 4.6], got "
                    + finetuneGateNoise);
        }
        SettingChecks.requireAtLeast("schedule.checkpointEvery", checkpointEvery, 1);
    }

    /**
     * A main phase of {@code epochs} at a constant rate, no fine-tuning, a checkpoint every epoch.
     *
     * @param epochs epochs, {@code ≥ 1}
     * @return the settings
     */
    public static ScheduleSettings of(int epochs) {
        return new ScheduleSettings(epochs, LearningRateSchedule.CONSTANT, 0, 0, null, 1);
    }

    /**
     * Returns the number of epochs of the whole run, main phase and fine-tuning.
     *
     * @return {@code epochs + finetuneEpochs}
     */
    public int totalEpochs() {
        return epochs + finetuneEpochs;
    }

    /**
     * Returns this schedule with another number of main-phase epochs.
     *
     * @param value epochs, {@code ≥ 1}
     * @return the new settings
     */
    public ScheduleSettings withEpochs(int value) {
        return new ScheduleSettings(value, lrSchedule, finetuneEpochs, finetuneWeightDecay, finetuneGateNoise,
                checkpointEvery);
    }

    /**
     * Returns this schedule with another learning-rate schedule for the main phase.
     *
     * @param value the schedule
     * @return the new settings
     */
    public ScheduleSettings withLrSchedule(LearningRateSchedule value) {
        return new ScheduleSettings(epochs, value, finetuneEpochs, finetuneWeightDecay, finetuneGateNoise,
                checkpointEvery);
    }

    /**
     * Returns this schedule with another number of fine-tuning epochs.
     *
     * @param value epochs after the main phase, {@code ≥ 0}
     * @return the new settings
     */
    public ScheduleSettings withFinetuneEpochs(int value) {
        return new ScheduleSettings(epochs, lrSchedule, value, finetuneWeightDecay, finetuneGateNoise,
                checkpointEvery);
    }

    /**
     * Returns this schedule with another weight decay for the fine-tuning phase.
     *
     * @param value the coupled L2 coefficient, {@code ≥ 0}
     * @return the new settings
     */
    public ScheduleSettings withFinetuneWeightDecay(double value) {
        return new ScheduleSettings(epochs, lrSchedule, finetuneEpochs, value, finetuneGateNoise, checkpointEvery);
    }

    /**
     * Returns this schedule keeping the hard-concrete noise on the kept gates during fine-tuning, or not.
     *
     * @param value the kept gates' log α in {@code [−1.5, 4.6]} (smaller = noisier), or null for deterministic
     *     gates
     * @return the new settings
     */
    public ScheduleSettings withFinetuneGateNoise(Double value) {
        return new ScheduleSettings(epochs, lrSchedule, finetuneEpochs, finetuneWeightDecay, value, checkpointEvery);
    }

    /**
     * Returns this schedule with another checkpoint cadence.
     *
     * @param value every this many epochs, {@code ≥ 1}
     * @return the new settings
     */
    public ScheduleSettings withCheckpointEvery(int value) {
        return new ScheduleSettings(epochs, lrSchedule, finetuneEpochs, finetuneWeightDecay, finetuneGateNoise,
                value);
    }
}
