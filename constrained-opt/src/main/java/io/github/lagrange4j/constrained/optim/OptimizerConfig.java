package io.github.lagrange4j.constrained.optim;

import io.github.lagrange4j.constrained.dual.DualAscent;
import io.github.lagrange4j.constrained.multiplier.MultiplierModel;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.problem.ConstrainedMinimizationProblem;
import io.github.lagrange4j.constrained.relaxation.Relaxation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The immutable configuration of a constrained optimizer: what {@link ConstrainedOptimizerBuilder#build()} hands
 * to the {@link UpdateScheme}'s constructor.
 *
 * @param problem the problem
 * @param primal the primal side
 * @param dual the dual side: the default dual optimizer and the restarts flag
 * @param relaxations per constraint name, its relaxation (copied, unmodifiable)
 * @param multiplierModels per constraint name, the model of its multipliers (copied, unmodifiable)
 * @param <B> the batch type
 */
public record OptimizerConfig<B>(
        ConstrainedMinimizationProblem<B> problem,
        PrimalOptimizer primal,
        DualAscent dual,
        Map<String, Relaxation> relaxations,
        Map<String, MultiplierModel> multiplierModels) {

    /** Validates the arguments. */
    public OptimizerConfig {
        if (problem == null) {
            throw new IllegalArgumentException("problem must not be null");
        }
        if (primal == null) {
            throw new IllegalArgumentException("primalOptimizer must not be null");
        }
        if (dual == null) {
            throw new IllegalArgumentException("dualOptimizer must not be null");
        }
        relaxations = Collections.unmodifiableMap(new LinkedHashMap<>(
                relaxations == null ? Map.of() : relaxations));
        multiplierModels = Collections.unmodifiableMap(new LinkedHashMap<>(
                multiplierModels == null ? Map.of() : multiplierModels));
    }

    /**
     * A configuration with one dual optimizer for every constraint and no relaxation.
     *
     * @param problem the problem
     * @param primal the primal side
     * @param dual the dual side
     */
    public OptimizerConfig(ConstrainedMinimizationProblem<B> problem, PrimalOptimizer primal, DualAscent dual) {
        this(problem, primal, dual, Map.of(), Map.of());
    }
}
