package io.github.lagrange4j.training;

import ai.djl.training.Trainer;
import io.github.lagrange4j.constrained.optim.StepRecord;
import io.github.lagrange4j.training.output.Progress;
import java.util.Objects;

/**
 * Reports a run's progress to a {@link Progress} (and through it to any DJL {@link ai.djl.util.Progress}
 * display) as a {@link RunListener}: {@code onEpochStart} starts the epoch's display, {@code onTrainingBatch}
 * advances it by one step showing the step's task loss and first multiplier ({@code 0} for a penalized run,
 * none during fine-tuning). The values are those the step already read; nothing more is read from the engine.
 */
public final class ProgressListener implements RunListener {

    private final Progress progress;

    /**
     * Reports to {@code progress}.
     *
     * @param progress the reporter (a silent one counts epochs and steps only)
     */
    public ProgressListener(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public void onEpochStart(Trainer trainer, int epoch, int totalEpochs, int steps) {
        progress.startEpoch(epoch, totalEpochs, steps);
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (batchData instanceof StepData s) {
            StepRecord r = s.record();
            double lambda = r == null ? Double.NaN
                    : r.multiplierNames().isEmpty() ? 0.0 : r.multiplier(r.multiplierNames().iterator().next(), 0);
            progress.step(s.loss(), Double.NaN, lambda);
        }
    }
}
