package io.github.lagrange4j.sweep;

import io.github.lagrange4j.training.Approach;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The grid of a sweep: the budgets ε of the constrained runs, the penalty weights λ of the penalized runs, the
 * seeds every point is trained with, an optional dense baseline, and the {@code train} options shared by every
 * run.
 *
 * <p>Expansion ({@link SweepPlan#of}): one constrained run per (ε, seed), one penalized run per (λ, seed), one
 * dense run per seed when {@code denseEpochs > 0}. Validation happens here, before anything runs; every message
 * names the option and the allowed range, e.g. {@code --epsilon: 1.5 is outside [0, 1]}.
 *
 * @param approaches the approaches to run, each at most once, at least one
 * @param epsilons the budgets of the constrained runs (each in [0, 1], distinct); empty without CONSTRAINED
 * @param penaltyLambdas the penalty weights of the penalized runs ({@code ≥ 0}, distinct); empty without
 *     PENALIZED
 * @param seeds the seeds, distinct, at least one
 * @param denseEpochs epochs of a dense baseline run per seed, 0 for none
 * @param denseError the dense model's test error given by the user (a fraction in [0, 1]), or null
 * @param trainOptions the {@code train} options every run shares, as given on the command line
 */
public record SweepGrid(List<Approach> approaches, List<Double> epsilons, List<Double> penaltyLambdas,
        List<Long> seeds, int denseEpochs, Double denseError, List<String> trainOptions) {

    /** Copies and validates the lists. */
    public SweepGrid {
        approaches = List.copyOf(approaches);
        epsilons = List.copyOf(epsilons);
        penaltyLambdas = List.copyOf(penaltyLambdas);
        seeds = List.copyOf(seeds);
        trainOptions = List.copyOf(trainOptions);
        if (approaches.isEmpty()) {
            throw new IllegalArgumentException("--approach: give at least one of CONSTRAINED, PENALIZED");
        }
        distinct("--approach", approaches);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("--seeds: the list is empty; give at least one seed, e.g. 1,2,3");
        }
        distinct("--seeds", seeds);
        if (approaches.contains(Approach.CONSTRAINED)) {
            if (epsilons.isEmpty()) {
                throw new IllegalArgumentException("--epsilon: the list is empty; give the budgets of the"
                        + " constrained runs, each in [0, 1], e.g. 0.1,0.2,0.33");
            }
            for (double e : epsilons) {
                if (!(e >= 0 && e <= 1)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "--epsilon: %s is outside [0, 1] (a budget is a density)", e));
                }
            }
            distinct("--epsilon", epsilons);
        } else if (!epsilons.isEmpty()) {
            throw new IllegalArgumentException("--epsilon applies to CONSTRAINED runs, but --approach is "
                    + approaches);
        }
        if (approaches.contains(Approach.PENALIZED)) {
            if (penaltyLambdas.isEmpty()) {
                throw new IllegalArgumentException("--penalty-lambda: the list is empty; give the weights of the"
                        + " penalized runs, each >= 0, e.g. 0.05,0.1,0.2");
            }
            for (double l : penaltyLambdas) {
                if (!(l >= 0 && Double.isFinite(l))) {
                    throw new IllegalArgumentException("--penalty-lambda: " + l + " must be finite and >= 0");
                }
            }
            distinct("--penalty-lambda", penaltyLambdas);
        } else if (!penaltyLambdas.isEmpty()) {
            throw new IllegalArgumentException("--penalty-lambda applies to PENALIZED runs, but --approach is "
                    + approaches);
        }
        if (denseEpochs < 0) {
            throw new IllegalArgumentException("--dense-epochs must be >= 0 (0 = no dense run), got " + denseEpochs);
        }
        if (denseError != null && !(denseError >= 0 && denseError <= 1)) {
            throw new IllegalArgumentException("--dense-error must be a fraction in [0, 1], got " + denseError);
        }
        for (String option : trainOptions) {
            for (String owned : OWNED) {
                if (option.equals(owned) || option.startsWith(owned + "=")) {
                    throw new IllegalArgumentException(owned + " is not a train option of a sweep: the sweep sets it"
                            + " per run (use --seeds, --epsilon, --penalty-lambda, --approach)");
                }
            }
        }
    }

    /** The options a sweep sets per run, refused among the shared train options. */
    static final List<String> OWNED = List.of("--seed", "--out", "--resume", "--allow-config-change");

    /**
     * Returns how many runs the grid expands to.
     *
     * @return the number of runs
     */
    public int size() {
        int points = (approaches.contains(Approach.CONSTRAINED) ? epsilons.size() : 0)
                + (approaches.contains(Approach.PENALIZED) ? penaltyLambdas.size() : 0)
                + (denseEpochs > 0 ? 1 : 0);
        return points * seeds.size();
    }

    private static <T> void distinct(String option, List<T> values) {
        List<T> seen = new ArrayList<>();
        for (T v : values) {
            if (seen.contains(v)) {
                throw new IllegalArgumentException(option + ": " + v + " is given twice in " + values);
            }
            seen.add(v);
        }
    }
}
