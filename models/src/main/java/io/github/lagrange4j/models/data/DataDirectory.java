package io.github.lagrange4j.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves the directory that holds the MNIST files, following DJL's convention for per-user
 * directories ({@code ai.djl.util.Utils#getCacheDir}: an environment variable or system property,
 * else a dot-directory in the user's home, else in the temporary directory if home is not writable).
 *
 * <p>Order: an explicit directory (the CLI's {@code --data-dir}), then the environment variable
 * {@value #ENV_VAR}, then the system property {@value #PROPERTY}, then
 * {@code ~/.lagrange4j/data/mnist}.
 */
public final class DataDirectory {

    /** The environment variable naming the MNIST data directory. */
    public static final String ENV_VAR = "LAGRANGE4J_DATA";
    /** The system property naming the MNIST data directory. */
    public static final String PROPERTY = "lagrange4j.data";

    private DataDirectory() {}

    /**
     * Returns the MNIST data directory of this JVM, from the environment and system properties.
     *
     * @param explicit a directory given on the command line, or {@code null}
     * @return the absolute data directory (not necessarily existing)
     */
    public static Path mnist(Path explicit) {
        return resolve(explicit, System.getenv(), System.getProperties());
    }

    /**
     * Returns the directory where the project keeps Fashion-MNIST: {@code explicit} if given, else
     * {@code ~/.lagrange4j/data/fashion-mnist} (in the temporary directory if home is not writable).
     * Reading also accepts the system-wide package's directory, see {@link FashionMnistFetcher#locate}.
     *
     * @param explicit a directory given on the command line, or {@code null}
     * @return the absolute directory (not necessarily existing)
     */
    public static Path fashionMnist(Path explicit) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        return defaultBase(System.getProperties()).resolve("fashion-mnist").toAbsolutePath().normalize();
    }

    /**
     * Tells whether a directory is the default MNIST location of this JVM (no {@code --data-dir},
     * {@value #ENV_VAR} or {@value #PROPERTY} needed to name it), which may be created on first use.
     *
     * @param directory a directory
     * @return true if it is {@code ~/.lagrange4j/data/mnist} (or its temporary-directory fallback)
     */
    public static boolean isDefaultMnist(Path directory) {
        return directory.toAbsolutePath().normalize()
                .equals(defaultBase(System.getProperties()).resolve("mnist").toAbsolutePath().normalize());
    }

    /**
     * Tells whether a directory is the default Fashion-MNIST location of this JVM.
     *
     * @param directory a directory
     * @return true if it is {@code ~/.lagrange4j/data/fashion-mnist} (or its temporary-directory fallback)
     */
    public static boolean isDefaultFashionMnist(Path directory) {
        return directory.toAbsolutePath().normalize().equals(fashionMnist(null));
    }

    private static Path defaultBase(Properties properties) {
        Path base = Paths.get(properties.getProperty("user.home", "."));
        if (!Files.isWritable(base)) {
            base = Paths.get(properties.getProperty("java.io.tmpdir", "."));
        }
        return base.resolve(".lagrange4j").resolve("data");
    }

    /**
     * Returns the MNIST data directory given explicit settings (for tests and embedding).
     *
     * @param explicit a directory given on the command line, or {@code null}
     * @param env the environment variables
     * @param properties the system properties
     * @return the absolute data directory (not necessarily existing)
     */
    public static Path resolve(Path explicit, Map<String, String> env, Properties properties) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Paths.get(fromEnv).toAbsolutePath().normalize();
        }
        String fromProperty = properties.getProperty(PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Paths.get(fromProperty).toAbsolutePath().normalize();
        }
        return defaultBase(properties).resolve("mnist").toAbsolutePath().normalize();
    }
}
