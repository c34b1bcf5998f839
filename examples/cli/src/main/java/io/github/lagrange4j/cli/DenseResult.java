package io.github.lagrange4j.cli;

import java.util.Objects;

/**
 * What one {@code lagrange4j dense} run measured, with the settings that produced it.
 *
 * @param engine the DJL engine name
 * @param device the device, e.g. {@code cpu()}
 * @param seed the random seed of initialisation and shuffling
 * @param epochs the number of epochs trained (at least 1)
 * @param trainExamples the number of training images used
 * @param finalTrainLoss the mean cross-entropy over the last epoch
 * @param testCorrect the number of correctly classified test images
 * @param testExamples the number of test images (10,000)
 * @param trainSeconds the wall time of training
 */
public record DenseResult(String engine, String device, int seed, int epochs, long trainExamples,
        double finalTrainLoss, long testCorrect, long testExamples, double trainSeconds) {

    /** Validates counts. */
    public DenseResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(device, "device");
        if (epochs < 1 || trainExamples < 1 || testExamples < 1) {
            throw new IllegalArgumentException("epochs, trainExamples and testExamples must be >= 1");
        }
        if (testCorrect < 0 || testCorrect > testExamples) {
            throw new IllegalArgumentException(
                    "testCorrect must be in [0, " + testExamples + "], got " + testCorrect);
        }
    }

    /**
     * Returns the test accuracy.
     *
     * @return {@code testCorrect / testExamples}
     */
    public double testAccuracy() {
        return (double) testCorrect / testExamples;
    }
}
