package io.github.lagrange4j.tests.foundation;

import io.github.lagrange4j.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code lagrange4j} command line, with what it printed and its exit code.
 *
 * @param exitCode the exit code
 * @param out what the command printed on standard output
 * @param err what the command printed on standard error
 * @param commandLine the command line, to read a subcommand's result
 */
public record CliRun(int exitCode, String out, String err, CommandLine commandLine) {

    /**
     * Runs {@code lagrange4j args…} in this JVM.
     *
     * @param args the arguments
     * @return the run
     */
    public static CliRun of(String... args) {
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString(), commandLine);
    }

    /**
     * Returns a subcommand's command object (e.g. to read its {@code lastResult()}).
     *
     * @param name the subcommand's name
     * @param <T> its type
     * @return the command object
     */
    public <T> T command(String name) {
        return commandLine.getSubcommands().get(name).getCommand();
    }
}
