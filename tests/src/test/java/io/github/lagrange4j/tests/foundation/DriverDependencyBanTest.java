package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training driver's dependency set is proved by the build: a copy of the reactor that holds only the
 * driver and the modules it depends on (their real POMs, no sources) validates offline as it is, and fails with
 * the ban's message when the driver's POM gains picocli or an engine at compile scope. So a project that
 * depends on the driver gets no command-line, plotting or progress-bar library, no logging binding and no engine.
 */
class DriverDependencyBanTest {

    private static final String CLI_BAN = "A library module must not bring a command-line, plotting or"
            + " progress-bar library or an SLF4J binding to its users (those belong to examples/cli).";
    private static final String ENGINE_BAN = "This module must compile against ai.djl:api only: a DJL engine"
            + " (PyTorch, MXNet, ...) may only be a test dependency.";

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {}

    /**
     * Copies the POMs of the driver's part of the reactor, edits the driver's POM (regular expression and
     * replacement, or null), validates.
     */
    private Result validateCopy(String regex, String replacement) throws IOException, InterruptedException {
        Path root = EngineBanTest.repositoryRoot();
        String parent = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("pom.xml"), replaceModules(parent, List.of("constrained-opt", "l0-sparsity",
                "models", "examples")), StandardCharsets.UTF_8);
        for (String module : List.of("constrained-opt", "l0-sparsity", "models", "examples/driver")) {
            Files.copy(root.resolve(module).resolve("pom.xml"),
                    Files.createDirectories(dir.resolve(module)).resolve("pom.xml"));
        }
        String examples = Files.readString(root.resolve("examples/pom.xml"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("examples/pom.xml"), replaceModules(examples, List.of("driver")),
                StandardCharsets.UTF_8);
        if (regex != null) {
            Path driver = dir.resolve("examples/driver/pom.xml");
            String pom = Files.readString(driver, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile(regex).matcher(pom);
            assertThat(m.find()).as("the driver's POM matches " + regex).isTrue();
            Files.writeString(driver, m.replaceFirst(replacement), StandardCharsets.UTF_8);
        }
        Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "validate", "-pl", "examples/driver", "-am")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("nested mvn finished").isTrue();
        return new Result(mvn.exitValue(), output);
    }

    private static String replaceModules(String pom, List<String> modules) {
        Matcher m = Pattern.compile("<modules>.*?</modules>", Pattern.DOTALL).matcher(pom);
        assertThat(m.find()).as("the POM lists its modules").isTrue();
        StringBuilder list = new StringBuilder("<modules>");
        modules.forEach(module -> list.append("<module>").append(module).append("</module>"));
        return m.replaceFirst(list.append("</modules>").toString());
    }

    @Test
    void theDriversPomValidatesAsItIs() throws Exception {
        Result clean = validateCopy(null, null);

        assertThat(clean.exitCode()).as(clean.output()).isZero();
    }

    @Test
    void picocliAtCompileScopeBreaksTheDriversBuild() throws Exception {
        Result broken = validateCopy("<dependencies>", "<dependencies><dependency><groupId>info.picocli</groupId>"
                + "<artifactId>picocli</artifactId></dependency>");

        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains(CLI_BAN).contains("info.picocli:picocli");
    }

    @Test
    void anSlf4jBindingAtRuntimeScopeBreaksTheDriversBuild() throws Exception {
        Result broken = validateCopy("(<artifactId>slf4j-simple</artifactId>\\s*)<scope>test</scope>",
                "$1<scope>runtime</scope>");

        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains(CLI_BAN).contains("org.slf4j:slf4j-simple");
    }

    @Test
    void anEngineAtRuntimeScopeBreaksTheDriversBuild() throws Exception {
        Result broken = validateCopy("(<artifactId>pytorch-engine</artifactId>\\s*)<scope>test</scope>",
                "$1<scope>runtime</scope>");

        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains(ENGINE_BAN).contains("ai.djl.pytorch:pytorch-engine");
    }
}
