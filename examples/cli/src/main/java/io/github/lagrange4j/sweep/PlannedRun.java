package io.github.lagrange4j.sweep;

import io.github.lagrange4j.training.RunSettings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One run of a sweep: its name (the name of its directory under the sweep directory), what it trains, and the
 * {@code train} arguments and settings it trains with.
 *
 * @param id the run's name, e.g. {@code constrained-eps0.33-seed1}; also its directory under the sweep directory
 * @param kind constrained, penalized or dense
 * @param seed the seed
 * @param value ε of a constrained run, λ of a penalized run, null for a dense run
 * @param trainArguments the equivalent {@code lagrange4j train} arguments (without {@code --out}); for a dense
 *     run those its settings were read from
 * @param settings the run's settings; for a dense run the model, data, batch size, learning rate and seed are
 *     used
 * @param denseEpochs the epochs of a dense run, 0 otherwise
 */
public record PlannedRun(String id, RunKind kind, long seed, Double value, List<String> trainArguments,
        RunSettings settings, int denseEpochs) {

    /** The result file of a dense run, in its directory. */
    public static final String DENSE_RESULT = "dense.json";

    /** Checks the fields. */
    public PlannedRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settings, "settings");
        trainArguments = List.copyOf(trainArguments);
        if ((kind == RunKind.DENSE) != (value == null)) {
            throw new IllegalArgumentException("run " + id + ": a dense run has no value, the others one");
        }
    }

    /**
     * Returns the run's name for a grid point.
     *
     * @param kind the kind
     * @param value ε or λ, null for dense
     * @param seed the seed
     * @return e.g. {@code penalized-lambda0.1-seed2}
     */
    public static String idOf(RunKind kind, Double value, long seed) {
        return switch (kind) {
            case CONSTRAINED -> "constrained-eps" + plain(value) + "-seed" + seed;
            case PENALIZED -> "penalized-lambda" + plain(value) + "-seed" + seed;
            case DENSE -> "dense-seed" + seed;
        };
    }

    /**
     * Returns the shortest plain decimal text of a value ({@code 0.1}, {@code 0.33}, {@code 1}).
     *
     * @param value the value
     * @return its text
     */
    public static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * Returns the epochs the run trains in all.
     *
     * @return {@code denseEpochs} for a dense run, the main and fine-tuning epochs otherwise
     */
    public int totalEpochs() {
        return kind == RunKind.DENSE ? denseEpochs : settings.schedule().totalEpochs();
    }
}
