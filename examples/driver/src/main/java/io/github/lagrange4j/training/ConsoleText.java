package io.github.lagrange4j.training;

import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How numbers of a run read on the console and in plot titles: multipliers as {@code λ[name]=0.0796}
 * (four decimals, or three significant digits below 0.001), targets as {@code ε = 0.33}. The Greek letters
 * are used where the console's character set can show them (plots always can); otherwise
 * {@code lambda} and {@code eps}.
 */
public final class ConsoleText {

    private ConsoleText() {}

    /**
     * Formats the console line of an epoch.
     *
     * @param m the epoch's metrics
     * @param totalEpochs the run's epochs, fine-tuning included
     * @param totalParameters the gated network's parameter count
     * @return e.g. {@code "epoch   3/10  loss 0.2572  test error 3.82%  density 0.9412 (deterministic 0.9500)
     *     300-100-100 (kept 93.10%)  λ[l0_model_density]=0.0796  5.4s  rss 860 MB"}
     */
    public static String epochLine(EpochMetrics m, int totalEpochs, long totalParameters) {
        return String.format(Locale.ROOT, "epoch %3d/%d%s  loss %.4f  test error %.2f%%%s  density %.4f"
                        + " (deterministic %.4f)  %s (kept %.2f%%)%s  %.1fs  rss %d MB",
                m.epoch(), totalEpochs, m.isFinetune() ? " (fine-tune)" : "", m.trainLoss(), 100 * m.testError(),
                m.hasValidation() ? String.format(Locale.ROOT, "  validation error %.2f%%", 100 * m.validationError())
                        : "",
                m.expectedDensity(), m.deterministicDensity(), m.prunedArchitecture(),
                100.0 * m.keptParameters() / totalParameters, multipliers(m.multipliers()), m.seconds(),
                ResidentMemory.megabytes());
    }

    /**
     * Describes a network's fixed mask: its pruned architecture, kept parameters and MACs.
     *
     * @param account the network's accounting
     * @return e.g. {@code "pruned 183-235-99, kept 67604 of 266610 parameters (25.36%), 67000 MACs"}
     */
    public static String mask(NetworkAccount account) {
        return String.format(Locale.ROOT, "pruned %s, kept %d of %d parameters (%.2f%%), %d MACs",
                account.prunedArchitecture(), account.keptParameters(), account.totalParameters(),
                100 * account.keptParameterFraction(), account.keptMacs());
    }

    /**
     * Describes a network's fixed mask for a run with the given budget scope: for a MAC budget, {@link
     * #mask(NetworkAccount)} followed by the kept MACs' fraction of the dense model's.
     *
     * @param account the network's accounting
     * @param scope the run's budget scope
     * @return e.g. {@code "pruned 183-235-99, kept 67604 of 266610 parameters (25.36%), 67000 MACs (25.17% of
     *     266200)"} for {@link ConstraintScope#MACS}, otherwise as {@link #mask(NetworkAccount)}
     */
    public static String mask(NetworkAccount account, ConstraintScope scope) {
        return scope != ConstraintScope.MACS ? mask(account) : mask(account) + String.format(Locale.ROOT,
                " (%.2f%% of %d)", 100.0 * account.keptMacs() / account.totalMacs(), account.totalMacs());
    }

    /**
     * Formats the multipliers of an epoch for the console line.
     *
     * @param multipliers the multiplier of each constraint, by name
     * @return {@code "  λ[l0_model_density]=0.0796"} (one entry per constraint), or "" if there are none
     */
    public static String multipliers(Map<String, Double> multipliers) {
        return multipliers(multipliers, consoleCanShow('λ'));
    }

    /**
     * Formats the multipliers of an epoch for a console that can or cannot show {@code λ}.
     *
     * @param multipliers the multiplier of each constraint, by name
     * @param greek whether to write {@code λ} (else {@code lambda})
     * @return the text, or "" if there are no multipliers
     */
    static String multipliers(Map<String, Double> multipliers, boolean greek) {
        if (multipliers.isEmpty()) {
            return "";
        }
        String symbol = greek ? "λ" : "lambda";
        StringJoiner joined = new StringJoiner(" ", "  ", "");
        multipliers.forEach((name, value) -> joined.add(symbol + "[" + name + "]=" + number(value)));
        return joined.toString();
    }

    /**
     * Formats a number with sensible precision: four decimals from 0.001 up, three significant digits
     * below, zero as {@code 0}.
     *
     * @param value the number
     * @return the text
     */
    public static String number(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        return Math.abs(value) >= 1e-3 ? String.format(Locale.ROOT, "%.4f", value)
                : String.format(Locale.ROOT, "%.3g", value);
    }

    /**
     * Returns the plot title of a run: {@code "constrained ε = 0.33"} (layer-wise: {@code ε = 0.5, 0.3}; MAC
     * budget: {@code "constrained MACs ε = 0.33"}) or
     * {@code "penalized λ = 0.1"}.
     *
     * @param settings the run's settings
     * @return the title
     */
    public static String plotLabel(RunSettings settings) {
        if (settings.objective().approach() == Approach.CONSTRAINED) {
            StringJoiner eps = new StringJoiner(", ");
            for (double e : settings.objective().epsilons()) {
                eps.add(trim(e));
            }
            String macs = settings.objective().scope() == ConstraintScope.MACS ? "MACs " : "";
            return "constrained " + macs + "ε = " + eps;
        }
        return "penalized λ = " + trim(settings.objective().penaltyLambda())
                + (settings.objective().penaltyForm() == PenaltyForm.LOUIZOS ? "/N" : "");
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.6g", value);
        if (text.contains("e")) {
            return text;
        }
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    private static boolean consoleCanShow(char c) {
        String name = System.getProperty("sun.stdout.encoding", System.getProperty("file.encoding", ""));
        try {
            return Charset.forName(name).newEncoder().canEncode(c);
        } catch (RuntimeException e) {
            return Charset.defaultCharset().newEncoder().canEncode(c);
        }
    }
}
