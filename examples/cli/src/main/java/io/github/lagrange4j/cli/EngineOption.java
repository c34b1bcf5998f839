package io.github.lagrange4j.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --engine} option, shared by every command that trains or evaluates: which DJL engine
 * runs the arrays. Mix it in with {@code @Mixin EngineOption engine;}.
 */
public final class EngineOption {

    /** The engines lagrange4j ships with (their names as DJL registers them). */
    public enum EngineName {
        /** PyTorch 2.7.1, CPU natives (the default). */
        PyTorch,
        /** Apache MXNet 1.9.1 with MKL, the second engine. */
        MXNet
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--engine", defaultValue = "PyTorch", paramLabel = "NAME",
            description = "DJL engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private EngineName name = EngineName.PyTorch;

    /**
     * Returns the chosen engine's name.
     *
     * @return the engine name
     */
    public EngineName name() {
        return name;
    }

    /**
     * Returns the chosen engine, loading it if needed.
     *
     * @return the engine
     * @throws CommandLine.ParameterException naming {@code --engine} if the engine cannot be loaded
     */
    public Engine engine() {
        try {
            return Engine.getEngine(name.name());
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "Invalid value for option '--engine': " + name + " cannot be loaded (" + e.getMessage() + ")", e);
        }
    }
}
