package io.github.lagrange4j.cli;

import io.github.lagrange4j.training.RunStop;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code lagrange4j} command line: one subcommand per job ({@code train}, {@code compare}, {@code export},
 * {@code dense}, {@code bench}, {@code sweep}, {@code fetch-data}, {@code help}); without a subcommand it runs {@code train} with
 * its defaults.
 *
 * <p>Exit codes: 0 success, 1 the job failed (the message names the file or setting at fault),
 * 2 invalid command-line usage (the message names the option).
 */
@Command(name = "lagrange4j", mixinStandardHelpOptions = true, version = "lagrange4j 0.1.0-SNAPSHOT",
        description = {"Constrained deep learning on Deep Java Library.",
                "Without a command, runs 'train' with its defaults."},
        subcommands = {L0TrainCommand.class, CompareCommand.class, ExportCommand.class, DenseCommand.class, BenchCommand.class, SweepCommand.class, FetchDataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show the engines' INFO log lines (hidden by default).")
    private boolean verbose;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        ConsoleLogging.configure(java.util.Arrays.asList(args).contains("--verbose"));
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the configured command line, for running in-process: set its output with
     * {@code setOut}/{@code setErr}, call {@code execute(args)}, then read a subcommand's result through
     * {@code getSubcommands().get("train").getCommand()}.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        RunStop.setResumeAdvice(RunDirectoryMessages::resumeCommand);
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("error: " + RunDirectoryMessages.of(e));
            cl.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        CommandLine train = spec.commandLine().getSubcommands().get("train");
        PrintWriter out = spec.commandLine().getOut();
        out.println("No command given: running 'train' with its defaults (see --help for all commands).");
        out.flush();
        return train.execute();
    }
}
