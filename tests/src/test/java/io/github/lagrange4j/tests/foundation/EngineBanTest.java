package io.github.lagrange4j.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The library modules compile against {@code ai.djl:api} only: the enforcer rule breaks the build of
 * {@code constrained-opt} when an engine becomes a compile dependency (shown on a temporary copy of its
 * POM, built offline with nested Maven), and no main source of the three library modules names an
 * engine package.
 */
class EngineBanTest {

    private static final String BAN_MESSAGE =
            "This module must compile against ai.djl:api only: a DJL engine (PyTorch, MXNet, ...) may only be a test dependency.";
    private static final Pattern ENGINE_PACKAGE = Pattern.compile("\\bai\\.djl\\.(pytorch|mxnet)\\b");

    @TempDir
    Path dir;

    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("constrained-opt/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no lagrange4j reactor root above " + here);
    }

    /** Copies the parent POM and constrained-opt's POM (edited) into a temporary reactor and validates it. */
    private Result validateCopy(String edit) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Files.copy(root.resolve("pom.xml"), dir.resolve("pom.xml"));
        Path module = Files.createDirectories(dir.resolve("constrained-opt"));
        String pom = Files.readString(root.resolve("constrained-opt/pom.xml"), StandardCharsets.UTF_8);
        Files.writeString(module.resolve("pom.xml"), edit == null ? pom : applyEdit(pom), StandardCharsets.UTF_8);
        Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "validate", "-f", module.resolve("pom.xml").toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("nested mvn finished").isTrue();
        return new Result(mvn.exitValue(), output);
    }

    /** Turns the test-scoped pytorch-engine dependency into a compile-scoped one. */
    private static String applyEdit(String pom) {
        Matcher m = Pattern.compile("(<artifactId>pytorch-engine</artifactId>\\s*)<scope>test</scope>").matcher(pom);
        assertThat(m.find()).as("constrained-opt declares pytorch-engine with test scope").isTrue();
        return m.replaceFirst("$1<scope>compile</scope>");
    }

    private record Result(int exitCode, String output) {}

    @Test
    void anEngineAtCompileScopeBreaksTheBuildWithTheBanMessage() throws Exception {
        Result broken = validateCopy("engine at compile scope");

        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains(BAN_MESSAGE).contains("ai.djl.pytorch:pytorch-engine");
    }

    @Test
    void theUnmodifiedPomValidates() throws Exception {
        Result clean = validateCopy(null);

        assertThat(clean.exitCode()).as(clean.output()).isZero();
    }

    static List<String> engineReferences(Path sourceRoot) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(sourceRoot)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (ENGINE_PACKAGE.matcher(lines.get(i)).find()) {
                        found.add(sourceRoot.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"constrained-opt", "l0-sparsity", "models", "examples/driver"})
    void noLibraryMainSourceNamesAnEnginePackage(String module) throws IOException {
        Path sources = repositoryRoot().resolve(module).resolve("src/main/java");
        assertThat(Files.isDirectory(sources)).as(sources + " exists").isTrue();

        assertThat(engineReferences(sources)).isEmpty();
    }

    @Test
    void theSourceScanFindsAnEngineImport() throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/main/java/x"));
        Files.writeString(sources.resolve("Bad.java"),
                "package x;\n\nimport ai.djl.pytorch.engine.PtNDArray;\n\nclass Bad {}\n");
        Files.writeString(sources.resolve("Good.java"), "package x;\n\nimport ai.djl.ndarray.NDArray;\n\nclass Good {}\n");

        assertThat(engineReferences(dir.resolve("src/main/java")))
                .containsExactly("x/Bad.java:3: import ai.djl.pytorch.engine.PtNDArray;");
    }
}
