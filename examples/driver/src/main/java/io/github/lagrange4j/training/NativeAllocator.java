package io.github.lagrange4j.training;

import java.util.Map;

/**
 * Names the native memory allocator this JVM runs with, for run logs and benchmarks.
 *
 * <p>Why it matters: with glibc's malloc the resident size of a PyTorch training run grows every epoch,
 * because the allocator keeps the memory of freed tensors (measured here on the paper MLP: +150 to +400 MB
 * per epoch, and from flat to +1.4 GB with {@code MALLOC_ARENA_MAX=2}, varying from run to run); with
 * jemalloc preloaded it stays flat. The {@code lagrange4j} launcher and the test JVMs preload Debian's {@code libjemalloc2} when it is
 * installed.
 */
public final class NativeAllocator {

    private NativeAllocator() {}

    /**
     * Describes the allocator of this process.
     *
     * @return {@code "jemalloc (<library>)"} when a jemalloc library is in {@code LD_PRELOAD} (with
     *     {@code MALLOC_CONF} when that is set), otherwise
     *     {@code "glibc malloc"}, with {@code MALLOC_ARENA_MAX} when that is set
     */
    public static String describe() {
        return describe(System.getenv());
    }

    /**
     * Describes the allocator a process with this environment runs with.
     *
     * @param environment the process environment
     * @return the description, as {@link #describe()}
     */
    public static String describe(Map<String, String> environment) {
        String preload = environment.getOrDefault("LD_PRELOAD", "");
        for (String library : preload.split("[:\\s]+")) {
            if (library.contains("jemalloc")) {
                String conf = environment.get("MALLOC_CONF");
                return "jemalloc (" + library + (conf == null || conf.isBlank() ? "" : "; MALLOC_CONF=" + conf) + ")";
            }
        }
        String arenas = environment.get("MALLOC_ARENA_MAX");
        return arenas == null || arenas.isBlank() ? "glibc malloc" : "glibc malloc (MALLOC_ARENA_MAX=" + arenas + ")";
    }

    /**
     * Tells whether this process runs with jemalloc.
     *
     * @return whether a jemalloc library is preloaded
     */
    public static boolean isJemalloc() {
        return describe().startsWith("jemalloc");
    }
}
