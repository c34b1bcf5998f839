package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void aPreloadedJemallocIsNamedWithItsLibrary() {
        assertThat(NativeAllocator.describe(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")))
                .isEqualTo("jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)");
    }

    @Test
    void jemallocSettingsAreNamedToo() {
        assertThat(NativeAllocator.describe(Map.of("LD_PRELOAD", "/usr/lib/libjemalloc.so.2",
                "MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1")))
                .isEqualTo("jemalloc (/usr/lib/libjemalloc.so.2; MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1)");
    }

    @Test
    void jemallocIsFoundAmongOtherPreloadedLibraries() {
        assertThat(NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/libfoo.so:/usr/lib64/libjemalloc.so.2 /x.so")))
                .isEqualTo("jemalloc (/usr/lib64/libjemalloc.so.2)");
    }

    @Test
    void withoutJemallocItIsGlibcWithItsArenaSetting() {
        assertThat(NativeAllocator.describe(Map.of())).isEqualTo("glibc malloc");
        assertThat(NativeAllocator.describe(Map.of("LD_PRELOAD", "/opt/libfoo.so", "MALLOC_ARENA_MAX", "2")))
                .isEqualTo("glibc malloc (MALLOC_ARENA_MAX=2)");
    }

    @Test
    void thisJvmMatchesItsEnvironment() {
        assertThat(NativeAllocator.isJemalloc())
                .isEqualTo(System.getenv().getOrDefault("LD_PRELOAD", "").contains("jemalloc"));
    }
}
