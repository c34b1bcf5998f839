package io.github.lagrange4j.training;

import io.github.lagrange4j.models.data.Normalization;
import java.util.Objects;

/**
 * The samples the expectation {@code E[L]} of the objective is estimated on and the model is judged on: which
 * data set, how its pixels are scaled, and which images serve for training, validation and test.
 *
 * <p>The training set is the first {@code trainSubset} images (all if 0); the validation set, on which the
 * best epoch is chosen, is the last {@code validationSize} images of the 60,000, disjoint from it; the test
 * error is measured on the first {@code testSubset} of the 10,000 test images. These settings belong together
 * because they define the empirical distribution, not the model or the optimiser.
 *
 * @param dataset the data set
 * @param normalization input scaling: {@link Normalization#MNIST_STANDARDIZED} (mean 0.1307, std 0.3081) or
 *     {@link Normalization#UNIT_INTERVAL} ([0, 1])
 * @param trainSubset train on this many training images (0 = all 60,000)
 * @param testSubset evaluate on this many test images (0 = all 10,000)
 * @param validationSize the number of training images held out, from the end of the training set, to select
 *     the best epoch on; {@code ≥ 0} (0 = none, also for a {@code config.json} written before this setting
 *     existed)
 */
public record DataSettings(DatasetKind dataset, Normalization normalization, int trainSubset, int testSubset,
        int validationSize) {

    /** The images held out for validation by the presets: the last 5,000 of the training set. */
    public static final int DEFAULT_VALIDATION_SIZE = 5_000;

    /**
     * Validates every component; messages name the setting, e.g. {@code data.trainSubset}.
     *
     * @throws IllegalArgumentException naming the setting whose value is out of range
     */
    public DataSettings {
        Objects.requireNonNull(dataset, "data.dataset");
        Objects.requireNonNull(normalization, "data.normalization");
        if (trainSubset < 0 || trainSubset > 60_000) {
            throw new IllegalArgumentException("data.trainSubset must be in [0, 60000] (0 = all), got " + trainSubset);
        }
        if (testSubset < 0 || testSubset > 10_000) {
            throw new IllegalArgumentException("data.testSubset must be in [0, 10000] (0 = all), got " + testSubset);
        }
        if (validationSize < 0 || validationSize >= 60_000) {
            throw new IllegalArgumentException("data.validationSize must be in [0, 60000) (0 = none), got "
                    + validationSize);
        }
        if (validationSize > 0 && trainSubset + validationSize > 60_000) {
            throw new IllegalArgumentException("data.validationSize: the " + validationSize + " held-out images and"
                    + " the " + trainSubset + " of data.trainSubset must fit in the 60000 training images");
        }
    }

    /**
     * All of a data set, with the presets' validation hold-out.
     *
     * @param dataset the data set
     * @param normalization the input scaling
     * @return the settings
     */
    public static DataSettings of(DatasetKind dataset, Normalization normalization) {
        return new DataSettings(dataset, normalization, 0, 0, DEFAULT_VALIDATION_SIZE);
    }

    /**
     * Returns these settings with another data set.
     *
     * @param value the data set
     * @return the new settings
     */
    public DataSettings withDataset(DatasetKind value) {
        return new DataSettings(value, normalization, trainSubset, testSubset, validationSize);
    }

    /**
     * Returns these settings with another input scaling.
     *
     * @param value the normalization
     * @return the new settings
     */
    public DataSettings withNormalization(Normalization value) {
        return new DataSettings(dataset, value, trainSubset, testSubset, validationSize);
    }

    /**
     * Returns these settings training on the first N training images.
     *
     * @param value N, or 0 for all
     * @return the new settings
     */
    public DataSettings withTrainSubset(int value) {
        return new DataSettings(dataset, normalization, value, testSubset, validationSize);
    }

    /**
     * Returns these settings evaluating on the first N test images.
     *
     * @param value N, or 0 for all
     * @return the new settings
     */
    public DataSettings withTestSubset(int value) {
        return new DataSettings(dataset, normalization, trainSubset, value, validationSize);
    }

    /**
     * Returns these settings holding out the last N training images for validation.
     *
     * @param value N, or 0 for none
     * @return the new settings
     */
    public DataSettings withValidationSize(int value) {
        return new DataSettings(dataset, normalization, trainSubset, testSubset, value);
    }
}
