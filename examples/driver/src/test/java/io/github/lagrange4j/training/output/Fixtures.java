package io.github.lagrange4j.training.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made epochs of a constrained and a penalized run, with simple closed-form dynamics. */
public final class Fixtures {

    private Fixtures() {}

    /** Constrained model-wise run: density 1 − 0.1·e (floored at 0.30), λ = 0.01·e, ε = 0.33. */
    public static List<EpochMetrics> constrained(int epochs) {
        List<EpochMetrics> list = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double density = Math.max(0.30, 1.0 - 0.1 * e);
            list.add(new EpochMetrics(e, 0.5 / e, 0.05 / e, density, density - 0.01, "300-200-" + (100 - e),
                    1000L - e, 5000L - e, Map.of("model", 0.01 * e), Map.of("model", density - 0.33),
                    Map.of("model", 0.33), 1.5));
        }
        return list;
    }

    /** Layer-wise run with two constraints fc1 (ε 0.5) and fc2 (ε 0.3). */
    public static List<EpochMetrics> layerWise(int epochs) {
        List<EpochMetrics> list = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double density = 1.0 / (1 + e);
            list.add(new EpochMetrics(e, 1.0 / e, 0.1 / e, density, density, "10-20", 100, 200,
                    Map.of("fc1", 0.02 * e, "fc2", 0.03 * e), Map.of("fc1", density - 0.5, "fc2", density - 0.3),
                    Map.of("fc1", 0.5, "fc2", 0.3), 2.0));
        }
        return list;
    }

    /** Penalized run: no multipliers, no targets. */
    public static List<EpochMetrics> penalized(int epochs) {
        List<EpochMetrics> list = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double density = 1.0 - 0.05 * e;
            list.add(new EpochMetrics(e, 0.4 / e, 0.04 / e, density, density, "219-214-100", 900, 4000,
                    Map.of(), Map.of(), Map.of(), 1.0));
        }
        return list;
    }
}
