package io.github.lagrange4j.tests.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a real {@code lagrange4j} process shows the job's own lines: the engines' INFO lines are
 * hidden unless {@code --verbose} is given (after the command, where a user types it).
 */
class ConsoleLogTest {

    @TempDir
    Path dir;

    @Test
    void engineInfoLinesAreHiddenByDefaultAndShownWithVerbose() throws Exception {
        List<String> dense = List.of("dense", "--subset", "200", "--data-dir", ResumeFixture.data().toString());
        TrainingProcess quiet = TrainingProcess.start(dir.resolve("quiet.log"), dense);
        int quietExit = quiet.await(300);
        TrainingProcess verbose = TrainingProcess.start(dir.resolve("verbose.log"),
                List.of("dense", "--verbose", "--subset", "200", "--data-dir", ResumeFixture.data().toString()));
        int verboseExit = verbose.await(300);

        assertThat(quietExit).as(quiet.log()).isZero();
        assertThat(quiet.log()).contains("test accuracy: ").doesNotContain("INFO").doesNotContain("ai.djl");
        assertThat(verboseExit).as(verbose.log()).isZero();
        assertThat(verbose.log()).contains("test accuracy: ")
                .contains("INFO ai.djl.pytorch.engine.PtEngine - Number of inter-op threads is");
    }
}
