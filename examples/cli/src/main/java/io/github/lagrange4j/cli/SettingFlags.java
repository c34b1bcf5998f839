package io.github.lagrange4j.cli;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of {@code train} by the driver's setting paths ({@code objective.epsilons} is {@code --epsilon},
 * {@code optimization.primalLearningRate} is {@code --lr}, ...), so that the driver's validation messages and
 * resume differences read in terms of the command line.
 */
final class SettingFlags {

    /** Setting path to option; settings without an option ({@code model.rescaleWeights}) keep their path. */
    private static final Map<String, String> FLAGS = flags("model.architecture", "--model",
            "objective.approach", "--approach", "objective.scope", "--scope", "objective.epsilons", "--epsilon",
            "objective.budgetMargin", "--budget-margin", "objective.penaltyLambda", "--penalty-lambda",
            "objective.penaltyForm", "--penalty-form", "optimization.primalLearningRate", "--lr",
            "optimization.gateLearningRate", "--gate-lr", "optimization.dualLearningRate", "--dual-lr",
            "optimization.dualMethod.kind", "--dual-optimizer", "optimization.dualMethod.kP", "--nupi-kp",
            "optimization.dualMethod.nu", "--nupi-nu", "optimization.dualRestarts", "--dual-restarts",
            "optimization.scheme", "--scheme", "optimization.batchSize", "--batch-size", "optimization.devices", "--devices", "data.dataset", "--dataset",
            "data.normalization", "--normalization", "data.trainSubset", "--train-subset", "data.testSubset",
            "--test-subset", "data.validationSize", "--validation-size", "schedule.epochs", "--epochs",
            "schedule.lrSchedule", "--lr-schedule", "schedule.finetuneEpochs", "--finetune-epochs",
            "schedule.finetuneWeightDecay", "--finetune-weight-decay", "schedule.finetuneGateNoise",
            "--finetune-gate-noise", "schedule.checkpointEvery", "--checkpoint-every", "seed", "--seed", "engine",
            "--engine");

    /** Any dotted setting path, longest first so that a path never matches inside a longer one. */
    private static final Pattern DOTTED = Pattern.compile(FLAGS.keySet().stream().filter(p -> p.contains("."))
            .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
            .reduce((a, b) -> a + "|" + b).map(p -> "(?<![\\w./])(" + p + ")(?![\\w/]|\\.\\w)").orElseThrow());

    private SettingFlags() {}

    /**
     * Returns the option of a setting.
     *
     * @param path the setting's path, e.g. {@code schedule.epochs}
     * @return the option, e.g. {@code --epochs}, or empty if {@code train} has none
     */
    static Optional<String> of(String path) {
        return Optional.ofNullable(FLAGS.get(path));
    }

    /**
     * Replaces every dotted setting path in a driver message by its option.
     *
     * @param message e.g. {@code "data.validationSize: ... the 58000 of data.trainSubset must fit ..."}
     * @return e.g. {@code "--validation-size: ... the 58000 of --train-subset must fit ..."}
     */
    static String inMessage(String message) {
        Matcher m = DOTTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(FLAGS.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Names the setting of one resume difference ({@code "path: old -> new"}) by its option.
     *
     * @param line e.g. {@code "objective.epsilons: [0.5] -> [0.3]"}
     * @return e.g. {@code "--epsilon: [0.5] -> [0.3]"}; the line unchanged if its setting has no option
     */
    static String inDifference(String line) {
        int colon = line.indexOf(": ");
        return colon < 0 ? line : of(line.substring(0, colon)).map(f -> f + line.substring(colon)).orElse(line);
    }

    private static Map<String, String> flags(String... pathsAndFlags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndFlags.length; i += 2) {
            out.put(pathsAndFlags[i], pathsAndFlags[i + 1]);
        }
        return Map.copyOf(out);
    }
}
