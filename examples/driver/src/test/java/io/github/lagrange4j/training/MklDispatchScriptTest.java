package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of oneMKL's dispatch ({@code scripts/mkl-dispatch.sh}), run in bash with a stand-in CPU
 * description, compiler and check: the library is kept only when its products are right and at most 0.9 of the
 * time; the verdict is cached; an Intel CPU, a missing compiler and {@code LAGRANGE4J_GEMM_DISPATCH=off} leave
 * oneMKL's own dispatch.
 */
class MklDispatchScriptTest {

    private static final Path SCRIPT = Path.of("../../scripts/mkl-dispatch.sh").toAbsolutePath().normalize();
    private static final String AMD = "vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: avx2 avx512f\n";

    @TempDir
    Path dir;

    /** What the function left: LD_PRELOAD, LAGRANGE4J_GEMM, its exit status, stderr, how often the check ran. */
    private record Outcome(String preload, String gemm, int status, String messages, int checks) {}

    /**
     * Sources the script and runs the choice with a check that takes {@code defaultMicros} without the library and
     * {@code intelMicros} (exiting {@code intelExit}) with it.
     */
    private Outcome choose(String cpuinfo, boolean compiler, double defaultMicros, double intelMicros, int intelExit,
            Map<String, String> env) throws IOException, InterruptedException {
        Path cpu = Files.writeString(dir.resolve("cpuinfo"), cpuinfo);
        Path count = dir.resolve("checks");
        Path check = executable("check", "#!/usr/bin/env bash\necho x >> '" + count + "'\n"
                + "if [[ \"${LD_PRELOAD:-}\" == *libmkl-intel-dispatch* ]]; then echo 'round " + intelMicros
                + " us'; exit " + intelExit + "; fi\necho 'round " + defaultMicros + " us'\n");
        // a stand-in compiler: writes the output file it is given (-o FILE)
        Path cc = executable("cc", "#!/usr/bin/env bash\nwhile [[ $# -gt 0 ]]; do if [[ $1 == -o ]]; then "
                + "echo lib > \"$2\"; fi; shift; done\n");
        List<String> command = new ArrayList<>(List.of(which("bash").toString(), "-c", "source '" + SCRIPT + "'; "
                + "lagrange4j_choose_gemm 'x/pytorch-native-cpu/2.7.1/y.jar' '" + check + "'; status=$?; "
                + "echo \"PRELOAD=${LD_PRELOAD:-}\"; echo \"GEMM=${LAGRANGE4J_GEMM:-}\"; echo \"STATUS=$status\""));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LAGRANGE4J_CPUINFO", cpu.toString());
        builder.environment().put("LAGRANGE4J_CACHE", dir.resolve("cache").toString());
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("LAGRANGE4J_GEMM_DISPATCH");
        if (compiler) {
            builder.environment().put("LAGRANGE4J_CC", cc.toString());
        } else {
            // a PATH with the tools the script uses and no cc or gcc
            Path bin = Files.createDirectories(dir.resolve("bin"));
            for (String tool : List.of("grep", "sha256sum", "cut", "mkdir", "cat", "sed", "awk", "mv", "rm", "head")) {
                Path link = bin.resolve(tool);
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, which(tool));
                }
            }
            builder.environment().remove("LAGRANGE4J_CC");
            builder.environment().put("PATH", bin.toString());
        }
        builder.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stdout = Files.readString(out);
        return new Outcome(value(stdout, "PRELOAD="), value(stdout, "GEMM="), Integer.parseInt(value(stdout, "STATUS=")),
                Files.readString(err), Files.exists(count) ? Files.readAllLines(count).size() : 0);
    }

    /** Removes the PATH's links first (the temporary directory's clean-up warns about links leading out of it). */
    @AfterEach
    void removeLinks() throws IOException {
        Path bin = dir.resolve("bin");
        if (Files.isDirectory(bin)) {
            try (var links = Files.list(bin)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    private static Path which(String tool) {
        for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + tool + " in /usr/bin, /bin or /usr/local/bin");
    }

    private Path executable(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String value(String stdout, String prefix) {
        return stdout.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    @Test
    void aRightAndFasterDispatchIsPreloadedAndCached() throws Exception {
        Outcome first = choose(AMD, true, 900, 400, 0, Map.of());
        assertThat(first.status()).isZero();
        assertThat(first.preload()).contains("libmkl-intel-dispatch-").endsWith(".so");
        assertThat(first.gemm()).contains("dispatch for Intel CPUs").contains("chosen by the GEMM check");
        assertThat(first.messages()).contains("900.0 us with oneMKL's own dispatch, 400.0 us");
        assertThat(first.checks()).isEqualTo(2);
        // the verdict is cached: no check the second time, the same library
        Outcome second = choose(AMD, true, 900, 400, 0, Map.of());
        assertThat(second.preload()).isEqualTo(first.preload());
        assertThat(second.checks()).isEqualTo(2);
    }

    @Test
    void aWrongDispatchIsNotKeptHoweverFast() throws Exception {
        Outcome wrong = choose(AMD, true, 900, 100, 3, Map.of());
        assertThat(wrong.preload()).isEmpty();
        assertThat(wrong.gemm()).isEqualTo("oneMKL's own dispatch (chosen by the GEMM check)");
        assertThat(wrong.messages()).contains("WRONG against double precision");
    }

    @Test
    void aDispatchLessThanATenthFasterIsNotKept() throws Exception {
        Outcome close = choose(AMD, true, 900, 850, 0, Map.of());
        assertThat(close.preload()).isEmpty();
        assertThat(close.gemm()).isEqualTo("oneMKL's own dispatch (chosen by the GEMM check)");
    }

    @Test
    void anIntelCpuAMissingCompilerOrTheSwitchLeaveOneMklsOwnDispatchWithoutACheck() throws Exception {
        Outcome intel = choose("vendor_id\t: GenuineIntel\nflags\t\t: avx512f\n", true, 900, 400, 0, Map.of());
        assertThat(intel.preload()).isEmpty();
        assertThat(intel.gemm()).contains("an Intel CPU");
        Outcome noCompiler = choose(AMD, false, 900, 400, 0, Map.of());
        assertThat(noCompiler.preload()).isEmpty();
        assertThat(noCompiler.gemm()).contains("no C compiler");
        Outcome off = choose(AMD, true, 900, 400, 0, Map.of("LAGRANGE4J_GEMM_DISPATCH", "off"));
        assertThat(off.preload()).isEmpty();
        assertThat(off.gemm()).contains("LAGRANGE4J_GEMM_DISPATCH=off");
        assertThat(intel.checks() + noCompiler.checks() + off.checks()).isZero();
        Outcome bad = choose(AMD, true, 900, 400, 0, Map.of("LAGRANGE4J_GEMM_DISPATCH", "yes"));
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.messages()).contains("LAGRANGE4J_GEMM_DISPATCH=yes: must be auto or off");
    }
}
