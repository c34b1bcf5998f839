package io.github.lagrange4j.cli;

/**
 * The console's log level: the engines' INFO lines (DJL's "Extracting ... to cache", PyTorch's graph
 * executor and thread counts) and the no-GPU warning of a CPU machine are hidden unless {@code --verbose} is
 * given; warnings and errors of the engines still show. Configures slf4j-simple through its system
 * properties, so it must run before the first logger is created (first thing in {@link Main#main}); a
 * property set on the command line ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}) wins.
 */
final class ConsoleLogging {

    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String CUDA_PROBE = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    private ConsoleLogging() {}

    /**
     * Sets the log levels for this JVM.
     *
     * @param verbose whether {@code --verbose} was given
     */
    static void configure(boolean verbose) {
        if (System.getProperty(DEFAULT_LEVEL) == null) {
            System.setProperty(DEFAULT_LEVEL, verbose ? "info" : "warn");
        }
        if (!verbose && System.getProperty(CUDA_PROBE) == null) {
            // "Failed to detect GPU count" on every machine without a CUDA driver: not a problem on CPU
            System.setProperty(CUDA_PROBE, "error");
        }
    }
}
