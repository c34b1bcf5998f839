package io.github.lagrange4j.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener.BatchData;
import java.util.Iterator;
import java.util.Map;

/**
 * The error rate of a classifier on a split, counted by DJL's {@link Accuracy} evaluator: for each batch of
 * the split in its natural order, the trainer's evaluation forward ({@code trainer.evaluate}, deterministic
 * gates) and {@link Accuracy#updateAccumulator} (arg max of the logits equal to the label); the error is
 * {@code (total - correct) / total} from the evaluator's exact counts, so no float rounding of DJL's {@code
 * getAccumulator} enters it. The batches come from the split as a DJL dataset in its natural order ({@link
 * EpochSampler#sequential}); for the split a run reports, each batch is also handed to the trainer's listeners
 * as {@code onValidationBatch}, with its labels and logits.
 *
 * <p>Memory: each batch's arrays, the evaluator's included, are closed at the end of the batch.
 */
final class ErrorRate {

    private static final String KEY = "split";

    private ErrorRate() {}

    /** DJL's accuracy evaluator with its exact counts readable. */
    static final class CountingAccuracy extends Accuracy {

        /**
         * Returns the number of examples counted under a key.
         *
         * @param key the accumulator's key
         * @return the total
         */
        long total(String key) {
            return totalInstances.getOrDefault(key, 0L);
        }

        /**
         * Returns the number of correctly classified examples counted under a key.
         *
         * @param key the accumulator's key
         * @return the number correct
         */
        long correct(String key) {
            return correctInstances.getOrDefault(key, 0L);
        }
    }

    /**
     * Evaluates the error rate of a split.
     *
     * @param trainer the trainer whose evaluation forward gives the logits
     * @param split the split
     * @param data a manager for the batches (a sub-manager per batch is closed after it)
     * @param batchSize the evaluation batch size
     * @param notify whether each batch goes to the trainer's listeners ({@code onValidationBatch})
     * @return the fraction of misclassified examples
     */
    static double of(Trainer trainer, MnistBatches split, NDManager data, int batchSize, boolean notify) {
        CountingAccuracy accuracy = new CountingAccuracy();
        accuracy.addAccumulator(KEY);
        Iterator<Batch> batches = split.getData(data, EpochSampler.sequential(batchSize), null).iterator();
        while (batches.hasNext()) {
            // the scope closes every array of the forward pass and the evaluator, whichever manager it landed in
            try (NDScope ignored = new NDScope(); Batch batch = batches.next()) {
                NDList logits = trainer.evaluate(batch.getData());
                accuracy.updateAccumulator(KEY, batch.getLabels(), logits);
                if (notify) {
                    BatchData done = new BatchData(batch, Map.of(trainer.getDevices()[0], batch.getLabels()),
                            Map.of(trainer.getDevices()[0], logits));
                    trainer.notifyListeners(l -> l.onValidationBatch(trainer, done));
                }
            }
        }
        long total = accuracy.total(KEY);
        return (total - accuracy.correct(KEY)) / (double) total;
    }
}
