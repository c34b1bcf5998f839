package io.github.lagrange4j.training.output;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one epoch of a sparsity run measured: the row of {@code metrics.csv} and one line of
 * {@code metrics.jsonl}.
 *
 * <p>Densities follow Gallego-Posada, Ramirez et al. ("Controlled Sparsity via Constrained Optimization",
 * NeurIPS 2022): {@code density = Σ_g P(z_g ≠ 0)·|g| / Σ_g |g|} (expected,
 * with the gates' probabilities of being non-zero) and the same ratio with the deterministic test-time
 * gates (deterministic). For a constraint {@code density_k ≤ ε_k} the violation is
 * {@code density_k − ε_k} and the multiplier is {@code λ_k ≥ 0} (Gallego-Posada et al., NeurIPS 2022);
 * penalized runs (Louizos et al., ICLR 2018) have no multipliers and no targets, so those maps are empty.
 *
 * <p>All maps are copied into unmodifiable maps sorted by constraint name. Create one record per epoch
 * after the test-set evaluation and hand it to {@link MetricsLog#append(EpochMetrics)}.
 *
 * @param epoch the 1-based epoch number (0 is allowed for an evaluation before training), {@code ≥ 0}
 * @param trainLoss the mean training objective over the epoch, finite
 * @param testError the test-set error as a fraction in [0, 1], with deterministic gates
 * @param expectedDensity the expected density of the L0 layers at the end of the epoch, in [0, 1]
 * @param deterministicDensity the density with deterministic test-time gates, in [0, 1]
 * @param prunedArchitecture the kept gate counts layer by layer, e.g. {@code 219-214-100}; one line
 * @param keptParameters the parameters left after compaction, {@code ≥ 0}
 * @param keptMacs the multiply-accumulates per example left after compaction, {@code ≥ 0}
 * @param multipliers the multiplier λ_k by constraint name at the end of the epoch, finite
 * @param violations the constraint violation {@code density_k − ε_k} by constraint name, finite
 * @param targetDensities the target ε_k by constraint name, each in (0, 1]
 * @param seconds the wall-clock seconds the epoch took (training and evaluation), finite, {@code ≥ 0}
 * @param phase {@link #TRAIN} (the main, penalized or constrained phase) or {@link #FINETUNE} (fixed mask,
 *     frozen gates)
 * @param validationError the error on the held-out validation images with deterministic gates, in [0, 1],
 *     or NaN when the run has no validation split
 * @param budgetMet whether the deployed (compacted) model of this epoch meets the run's budget: every
 *     constraint's kept fraction at most its ε; true when there is no budget
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double testError,
        double expectedDensity,
        double deterministicDensity,
        String prunedArchitecture,
        long keptParameters,
        long keptMacs,
        Map<String, Double> multipliers,
        Map<String, Double> violations,
        Map<String, Double> targetDensities,
        double seconds,
        String phase,
        double validationError,
        boolean budgetMet) {

    /** The phase of the main (penalized or constrained) training. */
    public static final String TRAIN = "train";

    /** The phase of the fixed-mask fine-tuning. */
    public static final String FINETUNE = "finetune";

    /**
     * An epoch of the main phase without validation, whose budget is met iff it has no targets (as recorded
     * before the phase, validation and budget fields existed).
     *
     * @param epoch see the record
     * @param trainLoss see the record
     * @param testError see the record
     * @param expectedDensity see the record
     * @param deterministicDensity see the record
     * @param prunedArchitecture see the record
     * @param keptParameters see the record
     * @param keptMacs see the record
     * @param multipliers see the record
     * @param violations see the record
     * @param targetDensities see the record
     * @param seconds see the record
     */
    public EpochMetrics(int epoch, double trainLoss, double testError, double expectedDensity,
            double deterministicDensity, String prunedArchitecture, long keptParameters, long keptMacs,
            Map<String, Double> multipliers, Map<String, Double> violations, Map<String, Double> targetDensities,
            double seconds) {
        this(epoch, trainLoss, testError, expectedDensity, deterministicDensity, prunedArchitecture, keptParameters,
                keptMacs, multipliers, violations, targetDensities, seconds, TRAIN, Double.NaN,
                targetDensities == null || targetDensities.isEmpty());
    }

    /** Validates every component and copies the maps; see the parameter descriptions for the ranges. */
    public EpochMetrics {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        requireFinite("trainLoss", trainLoss);
        requireFraction("testError", testError);
        requireFraction("expectedDensity", expectedDensity);
        requireFraction("deterministicDensity", deterministicDensity);
        Objects.requireNonNull(prunedArchitecture, "prunedArchitecture must not be null");
        if (prunedArchitecture.indexOf('\n') >= 0 || prunedArchitecture.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    "prunedArchitecture must be a single line, got \"" + prunedArchitecture + "\"");
        }
        if (keptParameters < 0) {
            throw new IllegalArgumentException("keptParameters must be >= 0, got " + keptParameters);
        }
        if (keptMacs < 0) {
            throw new IllegalArgumentException("keptMacs must be >= 0, got " + keptMacs);
        }
        multipliers = copy("multipliers", multipliers, Double.NEGATIVE_INFINITY, false);
        violations = copy("violations", violations, Double.NEGATIVE_INFINITY, false);
        targetDensities = copy("targetDensities", targetDensities, 0.0, true);
        requireFinite("seconds", seconds);
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
        }
        if (!TRAIN.equals(phase) && !FINETUNE.equals(phase)) {
            throw new IllegalArgumentException("phase must be \"" + TRAIN + "\" or \"" + FINETUNE + "\", got " + phase);
        }
        if (!Double.isNaN(validationError)) {
            requireFraction("validationError", validationError);
        }
    }

    /**
     * Whether the epoch reports a validation error.
     *
     * @return false when the run has no validation split
     */
    public boolean hasValidation() {
        return !Double.isNaN(validationError);
    }

    /**
     * Whether this epoch belongs to the fine-tuning phase.
     *
     * @return {@code phase == FINETUNE}
     */
    public boolean isFinetune() {
        return FINETUNE.equals(phase);
    }

    /**
     * Whether this epoch belongs to a constrained run, i.e. it carries at least one multiplier.
     *
     * @return {@code true} if {@link #multipliers()} is not empty
     */
    public boolean isConstrained() {
        return !multipliers.isEmpty();
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }

    /** Copies into a sorted unmodifiable map; values finite and, if {@code unitInterval}, in (lower, 1]. */
    private static Map<String, Double> copy(
            String name, Map<String, Double> map, double lower, boolean unitInterval) {
        Objects.requireNonNull(map, name + " must not be null (use an empty map)");
        SortedMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> entry : map.entrySet()) {
            String key = entry.getKey();
            Double value = entry.getValue();
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(name + " has a null or blank constraint name");
            }
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + "[" + key + "] must be finite, got " + value);
            }
            if (unitInterval && !(value > lower && value <= 1.0)) {
                throw new IllegalArgumentException(name + "[" + key + "] must be in (0, 1], got " + value);
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
