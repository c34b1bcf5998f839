package io.github.lagrange4j.training;

/**
 * The range checks of the settings records; every message starts with the setting's path in
 * {@link RunSettings} (e.g. {@code optimization.batchSize}), which the command line maps to its options.
 */
final class SettingChecks {

    private SettingChecks() {}

    /**
     * Requires a finite value {@code > 0}, or {@code ≥ 0} if {@code zeroAllowed}.
     *
     * @param path the setting's path
     * @param value the value
     * @param zeroAllowed whether 0 is allowed
     * @throws IllegalArgumentException naming the setting
     */
    static void requirePositive(String path, double value, boolean zeroAllowed) {
        boolean ok = Double.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok) {
            throw new IllegalArgumentException(path + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " and finite, got "
                    + value);
        }
    }

    /**
     * Requires {@code value ≥ min}.
     *
     * @param path the setting's path
     * @param value the value
     * @param min the smallest allowed value
     * @throws IllegalArgumentException naming the setting
     */
    static void requireAtLeast(String path, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(path + " must be >= " + min + ", got " + value);
        }
    }
}
