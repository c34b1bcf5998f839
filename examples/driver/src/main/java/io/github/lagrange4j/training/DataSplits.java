package io.github.lagrange4j.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.Normalization;
import java.io.IOException;

/**
 * The training, validation and test splits of a run.
 *
 * <p>Validation ({@code validationSize = V > 0}) is the last {@code V} of the 60,000 training images; the
 * model trains on the first {@code trainSubset} images (0: all {@code 60,000 − V}), so the two never
 * overlap. Every "best" choice is made on the validation error; the test set only reports. Without
 * validation ({@code V = 0}) the training split is the first {@code trainSubset} images as before.
 *
 * @param train the training split
 * @param validation the validation split, or null without one
 * @param test the test split
 */
public record DataSplits(MnistBatches train, MnistBatches validation, MnistBatches test) {

    /**
     * Loads the splits of a run into {@code manager}.
     *
     * @param settings the run's settings (subsets, validation size)
     * @param files the data set's files
     * @param normalization the input scaling
     * @param example the shape of one example
     * @param manager the manager that owns the arrays
     * @return the splits
     * @throws IOException if a file cannot be read
     */
    public static DataSplits load(RunSettings settings, IdxFileSet files, Normalization normalization, Shape example,
            NDManager manager) throws IOException {
        MnistBatches test = MnistBatches.load(files, Dataset.Usage.TEST, normalization, settings.data().testSubset(),
                example, manager);
        int v = settings.data().validationSize();
        if (v == 0) {
            MnistBatches train = MnistBatches.load(files, Dataset.Usage.TRAIN, normalization,
                    settings.data().trainSubset(), example, manager);
            return new DataSplits(train, null, test);
        }
        MnistBatches all = MnistBatches.load(files, Dataset.Usage.TRAIN, normalization, 0, example, manager);
        int trainCount = settings.data().trainSubset() > 0 ? settings.data().trainSubset() : all.examples() - v;
        if (trainCount + v > all.examples()) {
            throw new IllegalArgumentException("validation-size: the " + v + " held-out images and " + trainCount
                    + " training images do not fit in the " + all.examples() + " training images of the data set");
        }
        return new DataSplits(all.range(0, trainCount), all.range(all.examples() - v, v), test);
    }
}
