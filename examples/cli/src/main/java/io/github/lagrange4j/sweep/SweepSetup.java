package io.github.lagrange4j.sweep;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The steps of a sweep before its runs start: choosing the executor, recording or checking {@code sweep.json},
 * and the run JVMs' options and class path taken from this JVM.
 */
public final class SweepSetup {

    private SweepSetup() {}

    /**
     * Returns the executor: embedded without a master, else the {@code spark} executor found with
     * {@link ServiceLoader} (the {@code sweep-spark} module) bound to the master.
     *
     * @param sparkMaster the Spark master URL, or null
     * @return the executor
     * @throws IllegalArgumentException naming {@code --spark-master} if no Spark executor is on the class path
     */
    public static SweepExecutor executor(String sparkMaster) {
        if (sparkMaster == null) {
            return new EmbeddedSweep();
        }
        if (sparkMaster.isBlank()) {
            throw new IllegalArgumentException("--spark-master is empty; give local[*], spark://HOST:7077 or k8s://...");
        }
        for (SweepExecutor executor : ServiceLoader.load(SweepExecutor.class)) {
            if (executor.name().equals("spark")) {
                return executor.withMaster(sparkMaster);
            }
        }
        throw new IllegalArgumentException("--spark-master " + sparkMaster + " needs the sweep-spark module on the"
                + " class path: the ./lagrange4j launcher adds it when --spark-master is given (or use spark-submit,"
                + " see the README)");
    }

    /**
     * Checks that a sweep directory can take the plan: it records the same grid, or holds nothing yet.
     *
     * @param sweepDirectory the sweep directory
     * @param plan the plan
     * @param checkRecorded whether a recorded plan must equal this one (false when resuming from it)
     * @throws IllegalArgumentException if the directory records another grid (listing the differences), or holds
     *     files but no sweep
     * @throws IOException if {@code sweep.json} cannot be read
     */
    public static void check(Path sweepDirectory, SweepPlan plan, boolean checkRecorded) throws IOException {
        if (Files.isRegularFile(sweepDirectory.resolve(SweepPlan.FILE))) {
            List<String> diff = plan.diff(SweepPlan.read(sweepDirectory));
            if (checkRecorded && !diff.isEmpty()) {
                throw new IllegalArgumentException("--out " + sweepDirectory + " holds a sweep with another grid:\n  "
                        + String.join("\n  ", diff) + "\nrun the same command again, continue it with --resume "
                        + sweepDirectory + ", or choose another --out");
            }
            return;
        }
        if (Files.isDirectory(sweepDirectory)) {
            try (Stream<Path> entries = Files.list(sweepDirectory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + sweepDirectory + " is not empty and holds no sweep"
                            + " (no " + SweepPlan.FILE + "); choose a new or empty directory");
                }
            }
        }
    }

    /**
     * Records the plan in {@code sweep.json} unless the directory already records one ({@link #check} first).
     *
     * @param sweepDirectory the sweep directory, created if absent
     * @param plan the plan
     * @throws IOException if {@code sweep.json} cannot be written
     */
    public static void record(Path sweepDirectory, SweepPlan plan) throws IOException {
        if (!Files.isRegularFile(sweepDirectory.resolve(SweepPlan.FILE))) {
            plan.write(sweepDirectory);
        }
    }

    /**
     * Returns the options of the run JVMs: this JVM's heap, stack and direct-memory limits, its added modules
     * (the vector API of the optimizer's single-pass update) and its {@code ai.djl.*}, {@code lagrange4j.*} and
     * {@code OPT_OUT_TRACKING} system properties.
     *
     * @return the options
     */
    public static List<String> runJavaOptions() {
        List<String> out = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-Xss") || arg.startsWith("-XX:MaxDirectMemorySize")
                    || arg.startsWith("-Dai.djl.") || arg.startsWith("-Dlagrange4j.")
                    || arg.startsWith("-DOPT_OUT_TRACKING") || arg.startsWith("--add-modules=")) {
                out.add(arg);
            }
        }
        return out;
    }

    /**
     * Returns this JVM's class path: {@code java.class.path} and the URLs of the context class loader (where a
     * Spark executor puts the application's jars).
     *
     * @return the class path
     */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        while (loader != null) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                            // not a local file: the run JVM cannot use it
                        }
                    }
                }
            }
            loader = loader.getParent();
        }
        entries.remove("");
        return String.join(File.pathSeparator, entries);
    }
}
