package io.github.lagrange4j.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.cli.CompareCommand;
import io.github.lagrange4j.cli.L0TrainCommand;
import io.github.lagrange4j.tests.foundation.CliRun;
import io.github.lagrange4j.tests.foundation.GenuineMnist;
import io.github.lagrange4j.training.RunResult;
import io.github.lagrange4j.training.output.EpochMetrics;
import io.github.lagrange4j.training.output.ResultsTable;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sparsity commands run in-process on a genuine-MNIST subset: {@code train} and {@code compare} learn
 * far above chance, keep densities in [0, 1] with pruned architectures that match the kept counts, and
 * write decodable plots of the documented size; bad options exit with code 2 and name the option.
 */
class SparsityCliTest {

    private static final String[] SMALL = {"--train-subset", "3000", "--test-subset", "1000", "--epochs", "2",
        "--batch-size", "64", "--gate-lr", "0.1", "--dual-lr", "0.5", "--lr", "2e-3", "--no-progress"};

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] with(String... args) {
        String[] all = Arrays.copyOf(args, args.length + SMALL.length);
        System.arraycopy(SMALL, 0, all, args.length, SMALL.length);
        return all;
    }

    /** The MLP's kept parameters follow from its pruned architecture a-b-c: a·b + b + b·c + c + c·10 + 10. */
    private static void assertArchitectureMatchesKeptCount(EpochMetrics m) {
        int[] kept = Arrays.stream(m.prunedArchitecture().split("-")).mapToInt(Integer::parseInt).toArray();
        assertThat(kept).hasSize(3);
        long params = (long) kept[0] * kept[1] + kept[1] + (long) kept[1] * kept[2] + kept[2] + kept[2] * 10L + 10;
        assertThat(m.keptParameters()).isEqualTo(params);
        assertThat(m.expectedDensity()).isBetween(0.0, 1.0);
        assertThat(m.deterministicDensity()).isBetween(0.0, 1.0);
    }

    @Test
    void trainWritesARunDirectoryAndLearnsFarAboveChance() throws Exception {
        Path out = dir.resolve("run");
        CliRun run = run(with("train", "--epsilon", "0.4", "--out", out.toString(), "--data-dir",
                GenuineMnist.directory().toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        RunResult result = run.<L0TrainCommand>command("train").lastResult();
        EpochMetrics last = result.last();
        assertThat(1 - last.testError()).isGreaterThan(0.75);
        assertThat(last.expectedDensity()).isLessThan(0.9);
        assertThat(last.multipliers()).containsKey("l0_model_density");
        assertArchitectureMatchesKeptCount(last);
        for (String file : new String[] {"config.json", "metrics.csv", "metrics.jsonl", "model.params"}) {
            assertThat(out.resolve(file)).isRegularFile();
        }
        BufferedImage plot = ImageIO.read(out.resolve("dynamics.png").toFile());
        assertThat(plot.getWidth()).isEqualTo(1200);
        assertThat(plot.getHeight()).isEqualTo(900);
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(3);
        assertThat(run.out()).contains("epoch   2/2").contains("done: final test error")
                .contains("best feasible epoch (on validation): ");
        // the end-of-training verdict judges the expected density against eps with a tolerance of 0.005
        String verdict = run.out().lines().dropWhile(l -> !l.startsWith("constraints at the end of epoch 2 "))
                .limit(2).reduce("", (a, b) -> a + b + "\n");
        assertThat(verdict).contains("(g = expected density - eps): feasibility after step ")
                .contains("l0_model_density[0] g=").contains("tol=0.005");
        double g = last.expectedDensity() - 0.4;
        if (Math.abs(g - 0.005) > 1e-3) {
            assertThat(verdict).contains(g <= 0.005 ? "1/1 met" : "0/1 met").contains(g <= 0.005 ? " met" : "NOT MET");
        }
    }

    @Test
    void comparePrintsThePaperStyleTableForBothApproaches() throws Exception {
        Path out = dir.resolve("compare");
        CliRun run = run(with("compare", "--epsilon", "0.4", "--out", out.toString(),
                "--data-dir", GenuineMnist.directory().toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        CompareCommand compare = run.command("compare");
        ResultsTable table = compare.lastTable();
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(0).approach()).startsWith("penalized");
        assertThat(table.rows().get(1).approach()).startsWith("constrained eps = 0.4");
        for (RunResult r : compare.lastRuns()) {
            assertThat(1 - r.last().testError()).isGreaterThan(0.75);
            assertArchitectureMatchesKeptCount(r.last());
        }
        assertThat(compare.lastRuns().get(0).last().multipliers()).isEmpty();
        assertThat(run.out()).contains("Pruned").contains(table.rows().get(1).prunedArchitecture());
        assertThat(out.resolve("results.md")).isRegularFile();
        BufferedImage plot = ImageIO.read(out.resolve(CompareCommand.PLOT).toFile());
        assertThat(plot.getWidth()).isEqualTo(1200);
        assertThat(plot.getHeight()).isEqualTo(1400);
    }

    @Test
    void trainWithSeedsAndFinetuningWritesOneRunPerSeedAndASummaryWithinTheBudget() throws Exception {
        Path out = dir.resolve("seeds");
        CliRun run = run(with("train", "--epsilon", "0.3", "--seeds", "5,6", "--finetune-epochs", "1",
                "--validation-size", "1000", "--out", out.toString(), "--data-dir",
                GenuineMnist.directory().toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        var summary = run.<L0TrainCommand>command("train").lastSummary();
        var row = summary.rows().get(0);
        assertThat(row.seeds()).containsExactly(5, 6);
        for (RunResult r : row.runs()) {
            assertThat(r.epochs()).extracting(EpochMetrics::phase)
                    .containsExactly(EpochMetrics.TRAIN, EpochMetrics.TRAIN, EpochMetrics.FINETUNE);
            assertThat(r.keptFraction()).isBetween(0.29, 0.30);
            assertThat(r.last().budgetMet()).isTrue();
            assertThat(1 - r.last().testError()).isGreaterThan(0.75);
            assertThat(r.settings().data().validationSize()).isEqualTo(1000);
            assertThat(r.runDirectory()).isEqualTo(out.resolve("seed-" + r.settings().seed()));
            assertThat(r.runDirectory().resolve("model.params")).isRegularFile();
        }
        assertThat(out.resolve("summary.json")).isRegularFile();
        assertThat(Files.readString(out.resolve("results.md"))).contains("| 5, 6 |").contains("| 2/2 |");
        assertThat(run.out()).contains("== seed 6: run directory " + out.resolve("seed-6"));

        // the same command again resumes the finished seeds without training and rewrites the same summary
        String results = Files.readString(out.resolve("results.md"));
        CliRun again = run(with("train", "--epsilon", "0.3", "--seeds", "5,6", "--finetune-epochs", "1",
                "--validation-size", "1000", "--out", out.toString(), "--data-dir",
                GenuineMnist.directory().toString()));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("resuming " + out.resolve("seed-5") + " from epoch 3")
                .doesNotContain("epoch   3/3");
        assertThat(Files.readString(out.resolve("results.md"))).isEqualTo(results);
    }

    @Test
    void seedsExcludeASingleSeed() {
        CliRun run = run("train", "--seeds", "1,2", "--seed", "3", "--no-progress");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--seed and --seeds exclude each other");
    }

    @Test
    void anEpsilonOutsideTheUnitIntervalIsRejectedNamingTheOption() {
        CliRun run = run("train", "--epsilon", "1.5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--epsilon must be in [0, 1], got 1.5");
    }

    @Test
    void anUnknownModelIsRejectedNamingTheOption() {
        CliRun run = run("train", "--model", "ResNet");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--model").contains("ResNet");
    }

    @Test
    void aDataDirectoryThatDoesNotExistIsRefusedWithoutCreatingOrDownloadingAnything() {
        Path mistyped = dir.resolve("no-such-dir/xyz");
        CliRun run = run("train", "--data-dir", mistyped.toString(), "--no-progress");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--data-dir': " + mistyped + " does not exist"
                + " (nothing was created or downloaded); check the path, or fetch the data set into it with"
                + " './lagrange4j fetch-data --data-dir " + mistyped + "'");
        assertThat(dir.resolve("no-such-dir")).doesNotExist();
    }

    @Test
    void aFashionMnistDataDirectoryThatDoesNotExistNamesTheFashionFetch() {
        Path mistyped = dir.resolve("fashion");
        CliRun run = run("dense", "--dataset", "fashion-mnist", "--data-dir", mistyped.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'./lagrange4j fetch-data --dataset fashion-mnist --data-dir " + mistyped + "'");
        assertThat(mistyped).doesNotExist();
    }
}
