package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code train} options of one run of a sweep, parsed exactly as {@code train} parses them (the same
 * mixins: engine, device, data directory, {@link SparsityOptions}); a sweep's plan and its worker processes both
 * read a run's settings through it.
 */
@Command(name = "train")
final class SweepTrainOptions {

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineOption engineOption;

    @Mixin
    private DeviceOption deviceOption;

    @Mixin
    private DataDirOption dataDir;

    @Mixin
    private SparsityOptions options;

    private SweepTrainOptions() {}

    /**
     * Parses a run's {@code train} arguments.
     *
     * @param args the arguments
     * @return the parsed options
     * @throws IllegalArgumentException naming the unknown or invalid option
     */
    static SweepTrainOptions parse(List<String> args) {
        SweepTrainOptions parsed = new SweepTrainOptions();
        CommandLine commandLine = new CommandLine(parsed);
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown option '" + e.getUnmatched().get(0) + "': neither a sweep option nor a"
                    + " train option (see 'lagrange4j help sweep' and 'lagrange4j help train')", e);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return parsed;
    }

    /**
     * Returns the run's settings, as {@code train} builds them.
     *
     * @return the validated settings
     * @throws IllegalArgumentException naming the invalid option
     */
    RunSettings settings() {
        try {
            return options.settings(spec.commandLine());
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    Engine engine() {
        return engineOption.engine();
    }

    Device device(Engine engine) {
        return deviceOption.device(engine);
    }

    IdxFileSet files(String dataset, PrintWriter log) throws IOException {
        return TrainingSetup.files(spec.commandLine(), dataset, dataDir, log);
    }
}
