package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.Statistics;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code lagrange4j bench} run measured: one row per epoch, and the summary statistics over the
 * epochs after the warm-up epoch 1 (at least two of them).
 *
 * @param engine the DJL engine name and version, e.g. {@code PyTorch 2.7.1}
 * @param device the device, e.g. {@code cpu()}
 * @param settings the settings trained with (the paper preset, epochs and subset overridden)
 * @param trainExamples the training images of each epoch
 * @param allocator the native allocator the JVM ran with ({@code NativeAllocator.describe()}), e.g.
 *     {@code jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)} or {@code glibc malloc}
 * @param epochs the measured epochs 1..N in order, N ≥ 3
 */
public record BenchResult(String engine, String device, RunSettings settings, int trainExamples,
        String allocator, List<Epoch> epochs) {

    /** The epochs at the start that the summary leaves out. */
    public static final int WARM_UP_EPOCHS = 1;

    /**
     * One measured epoch, as printed.
     *
     * @param epoch the 1-based epoch number
     * @param seconds the wall time of the epoch (training, then evaluation of the test set), {@code > 0}
     * @param imagesPerSecond training images divided by {@code seconds}
     * @param rssMegabytes the process's resident size after the epoch, in MB, or -1 where it cannot be read
     * @param heapUsedMegabytes the Java heap in use after the epoch, in MB
     * @param cpuPercent the process's CPU time during the gated epoch over its wall time, in percent of one
     *     core (200 = two cores busy), or NaN if unknown
     * @param expectedDensity the gated network's expected density after the epoch
     * @param denseSeconds the wall time of an epoch of the dense network of the same architecture (same data
     *     path, batch size and optimizer), measured right after, or NaN if not measured
     * @param denseCpuPercent the CPU utilisation of that dense epoch, or NaN
     * @param compileSeconds the time the JVM's just-in-time compilers spent during the gated epoch (their threads
     *     share the cores with the engine's), or NaN if the JVM cannot tell
     * @param sparsePasses per gated layer in network order, the training passes of the epoch that computed over
     *     the live groups only; empty when sparse compute is off
     */
    public record Epoch(int epoch, double seconds, double imagesPerSecond, long rssMegabytes,
            long heapUsedMegabytes, double cpuPercent, double expectedDensity, double denseSeconds,
            double denseCpuPercent, double compileSeconds, List<Long> sparsePasses) {

        /** Validates the ranges. */
        public Epoch {
            if (epoch < 1) {
                throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
            }
            if (!(seconds > 0) || !Double.isFinite(seconds)) {
                throw new IllegalArgumentException("seconds must be > 0 and finite, got " + seconds);
            }
            if (!(imagesPerSecond > 0) || !Double.isFinite(imagesPerSecond)) {
                throw new IllegalArgumentException("imagesPerSecond must be > 0 and finite, got " + imagesPerSecond);
            }
            if (rssMegabytes < -1) {
                throw new IllegalArgumentException("rssMegabytes must be >= 0, or -1 if unknown, got " + rssMegabytes);
            }
            if (heapUsedMegabytes < 0) {
                throw new IllegalArgumentException("heapUsedMegabytes must be >= 0, got " + heapUsedMegabytes);
            }
            if (compileSeconds < 0) {
                throw new IllegalArgumentException("compileSeconds must be >= 0, or NaN if unknown, got "
                        + compileSeconds);
            }
            sparsePasses = List.copyOf(Objects.requireNonNull(sparsePasses, "sparsePasses"));
            if (sparsePasses.stream().anyMatch(n -> n < 0)) {
                throw new IllegalArgumentException("sparsePasses must be >= 0, got " + sparsePasses);
            }
        }
    }

    /** Validates the components; the epochs must be numbered 1..N with N ≥ 3, and are copied. */
    public BenchResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(allocator, "allocator");
        epochs = List.copyOf(Objects.requireNonNull(epochs, "epochs"));
        if (trainExamples < 1) {
            throw new IllegalArgumentException("trainExamples must be >= 1, got " + trainExamples);
        }
        if (epochs.size() < WARM_UP_EPOCHS + 2) {
            throw new IllegalArgumentException("a benchmark needs at least " + (WARM_UP_EPOCHS + 2)
                    + " epochs (warm-up, then two to measure), got " + epochs.size());
        }
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i).epoch() != i + 1) {
                throw new IllegalArgumentException("epochs must be numbered 1.." + epochs.size() + ", got epoch "
                        + epochs.get(i).epoch() + " at position " + (i + 1));
            }
        }
    }

    /**
     * Returns the epochs the summary is taken over: all but the warm-up.
     *
     * @return epochs 2..N
     */
    public List<Epoch> measured() {
        return epochs.subList(WARM_UP_EPOCHS, epochs.size());
    }

    /**
     * Returns the median wall time of the measured epochs.
     *
     * @return the median over epochs 2..N, in seconds
     */
    public double medianEpochSeconds() {
        return Statistics.median(measured().stream().mapToDouble(Epoch::seconds).toArray());
    }

    /**
     * Returns the median wall time of the dense epochs measured beside epochs 2..N.
     *
     * @return the median in seconds, or NaN if the dense network was not measured
     */
    public double medianDenseEpochSeconds() {
        return medianOrNaN(measured().stream().mapToDouble(Epoch::denseSeconds).toArray());
    }

    /**
     * Returns the median over epochs 2..N of the gated epoch's time over the dense epoch's time, each pair
     * measured back to back.
     *
     * @return the median ratio gated / dense, or NaN if the dense network was not measured
     */
    public double medianGatedToDenseRatio() {
        return medianOrNaN(measured().stream().mapToDouble(e -> e.seconds() / e.denseSeconds()).toArray());
    }

    /**
     * Returns the median CPU utilisation of the gated epochs 2..N.
     *
     * @return percent of one core, or NaN if unknown
     */
    public double medianCpuPercent() {
        return medianOrNaN(measured().stream().mapToDouble(Epoch::cpuPercent).toArray());
    }

    /**
     * Returns the median CPU utilisation of the dense epochs measured beside epochs 2..N.
     *
     * @return percent of one core, or NaN if unknown or not measured
     */
    public double medianDenseCpuPercent() {
        return medianOrNaN(measured().stream().mapToDouble(Epoch::denseCpuPercent).toArray());
    }

    /**
     * Returns the training throughput at the median epoch time.
     *
     * @return {@code trainExamples / medianEpochSeconds()}, in images per second
     */
    public double imagesPerSecond() {
        return trainExamples / medianEpochSeconds();
    }

    /**
     * Returns the resident size after the warm-up epoch.
     *
     * @return MB after epoch 1, or -1 if unknown
     */
    public long rssAfterFirstEpochMegabytes() {
        return epochs.get(0).rssMegabytes();
    }

    /**
     * Returns the resident size after the last epoch.
     *
     * @return MB after epoch N, or -1 if unknown
     */
    public long rssAfterLastEpochMegabytes() {
        return epochs.get(epochs.size() - 1).rssMegabytes();
    }

    /**
     * Returns the native-memory growth: the least-squares slope of the resident size over the measured epochs.
     *
     * @return MB per epoch over epochs 2..N (negative if it shrank), or NaN if a resident size is unknown
     */
    public double growthMegabytesPerEpoch() {
        List<Epoch> measured = measured();
        if (measured.stream().anyMatch(e -> e.rssMegabytes() < 0)) {
            return Double.NaN;
        }
        return Statistics.slope(measured.stream().mapToDouble(Epoch::epoch).toArray(),
                measured.stream().mapToDouble(Epoch::rssMegabytes).toArray());
    }

    private static double medianOrNaN(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
        }
        return Statistics.median(values);
    }
}
