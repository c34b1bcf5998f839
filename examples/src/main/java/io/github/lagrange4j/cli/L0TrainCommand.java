package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.SparsityRun;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.Progress;
import io.github.lagrange4j.training.output.RunManifest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lagrange4j train}: trains a gated MLP or LeNet-5 on MNIST, penalized or under a density budget,
 * writing metrics, plot, configuration and checkpoints to a run directory; {@code --resume DIR} continues
 * an interrupted run exactly.
 *
 * <p>Default (no options): the constrained MLP with ε = 0.33 in the quick preset.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a gated (L0) model under a density budget, or penalized, and record its dynamics.",
                "Default: constrained MLP 784-300-100-10, model-wise epsilon = 0.33, quick preset (10 epochs)."})
public final class L0TrainCommand implements Callable<Integer> {

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

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/<model>-<approach>-<time>).")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest valid checkpoint.")
    private Path resume;

    @Option(names = "--allow-config-change",
            description = "With --resume: accept options that differ from the run's configuration.")
    private boolean allowConfigChange;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on an interactive console (default: on).")
    private boolean progress = true;

    private RunResult lastResult;

    /**
     * Returns the result of the last run of this command object.
     *
     * @return the result, or null
     */
    public RunResult lastResult() {
        return lastResult;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        if (resume != null && out != null) {
            throw new CommandLine.ParameterException(commandLine, "--out and --resume exclude each other");
        }
        RunSettings settings;
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve(SparsityRun.CONFIG))) {
                throw new CommandLine.ParameterException(commandLine, "Invalid value for option '--resume': "
                        + resume + " is not a run directory (no " + SparsityRun.CONFIG + ")");
            }
            settings = options.settingsOver(commandLine,
                    RunManifest.read(resume).configurationAs(RunSettings.class));
        } else {
            settings = options.settings(commandLine);
        }
        Engine engine = engineOption.engine();
        Device device = deviceOption.device(engine);
        PrintWriter log = commandLine.getOut();
        IdxFileSet files = RunContext.files(spec.commandLine(), settings.dataset(), dataDir, log);
        try (Progress bar = RunContext.progress(progress)) {
            if (resume != null) {
                lastResult = SparsityRun.resume(resume, settings, allowConfigChange, engine, device, files, bar, log);
            } else {
                Path dir = out != null ? out : defaultDirectory(settings);
                log.printf("run directory: %s%n%s%n", dir, settings);
                log.flush();
                lastResult = SparsityRun.start(settings, dir, engine, device, files, bar, log);
            }
        }
        EpochMetrics last = lastResult.last();
        log.printf(Locale.ROOT, "done: best test error %.2f%%, final %.2f%%, density %.4f, pruned %s, kept %d params;"
                        + " results in %s%n", 100 * lastResult.bestTestError(), 100 * last.testError(),
                last.expectedDensity(), last.prunedArchitecture(), last.keptParameters(), lastResult.runDirectory());
        log.flush();
        return 0;
    }

    static Path defaultDirectory(RunSettings settings) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", settings.model().name().toLowerCase(Locale.ROOT) + "-"
                + settings.approach().name().toLowerCase(Locale.ROOT) + "-" + time);
    }
}
