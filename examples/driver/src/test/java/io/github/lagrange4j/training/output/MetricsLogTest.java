package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsLogTest {

    private static final EpochMetrics FIRST = new EpochMetrics(1, 0.5, 0.25, 0.75, 0.5, "300-100", 1000, 2000,
            Map.of("fc2", 0.125, "fc1", 0.0), Map.of("fc1", 0.25, "fc2", -0.125), Map.of("fc1", 0.5, "fc2", 0.625),
            2.0);
    private static final EpochMetrics SECOND = new EpochMetrics(2, 0.25, 0.125, 0.5, 0.375, "200,50", 600, 1200,
            Map.of("fc1", 0.5, "fc2", 0.25), Map.of("fc1", 0.0, "fc2", -0.25), Map.of("fc1", 0.5, "fc2", 0.625),
            1.5);
    private static final String FIRST_JSON = "{\"epoch\":1,\"trainLoss\":0.5,\"testError\":0.25,"
            + "\"expectedDensity\":0.75,\"deterministicDensity\":0.5,\"prunedArchitecture\":\"300-100\","
            + "\"keptParameters\":1000,\"keptMacs\":2000,\"multipliers\":{\"fc1\":0.0,\"fc2\":0.125},"
            + "\"violations\":{\"fc1\":0.25,\"fc2\":-0.125},\"targetDensities\":{\"fc1\":0.5,\"fc2\":0.625},"
            + "\"seconds\":2.0,\"phase\":\"train\",\"budgetMet\":false}";

    /** A line written before the phase, validation and budget fields existed. */
    private static final String OLD_JSON = FIRST_JSON.replace(",\"phase\":\"train\",\"budgetMet\":false", "");

    @TempDir
    Path run;

    @Test
    void writesTheCsvWithOneColumnPerConstraintAndQuotedCells() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        log.append(FIRST);
        log.append(SECOND);

        assertThat(Files.readString(run.resolve(MetricsLog.CSV_FILE))).isEqualTo(
                "epoch,train_loss,test_error,expected_density,deterministic_density,pruned_architecture,"
                        + "kept_parameters,kept_macs,seconds,phase,validation_error,budget_met,"
                        + "target:fc1,target:fc2,multiplier:fc1,multiplier:fc2,violation:fc1,violation:fc2\n"
                        + "1,0.5,0.25,0.75,0.5,300-100,1000,2000,2.0,train,,false,0.5,0.625,0.0,0.125,0.25,-0.125\n"
                        + "2,0.25,0.125,0.5,0.375,\"200,50\",600,1200,1.5,train,,false,0.5,0.625,0.5,0.25,0.0,-0.25\n");
    }

    @Test
    void aPenalizedRunHasOnlyTheFixedColumnsAndAMissingValueIsAnEmptyCell() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        log.append(Fixtures.penalized(1).get(0));
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV_FILE)).get(0)).isEqualTo(
                "epoch,train_loss,test_error,expected_density,deterministic_density,pruned_architecture,"
                        + "kept_parameters,kept_macs,seconds,phase,validation_error,budget_met");

        log.append(new EpochMetrics(2, 0.1, 0.02, 0.8, 0.8, "1-2", 5, 6, Map.of("fc1", 0.25), Map.of(),
                Map.of(), 1.0));
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV_FILE))).containsExactly(
                "epoch,train_loss,test_error,expected_density,deterministic_density,pruned_architecture,"
                        + "kept_parameters,kept_macs,seconds,phase,validation_error,budget_met,multiplier:fc1",
                "1,0.4,0.04,0.95,0.95,219-214-100,900,4000,1.0,train,,true,",
                "2,0.1,0.02,0.8,0.8,1-2,5,6,1.0,train,,true,0.25");
    }

    @Test
    void linesWithoutPhaseValidationAndBudgetReadAsMainPhaseWithoutValidation() throws IOException {
        Path file = run.resolve(MetricsLog.JSONL_FILE);
        Files.writeString(file, OLD_JSON + "\n");
        EpochMetrics old = MetricsLog.read(file).get(0);
        assertThat(old).isEqualTo(FIRST);
        assertThat(old.phase()).isEqualTo(EpochMetrics.TRAIN);
        assertThat(old.hasValidation()).isFalse();
        assertThat(old.budgetMet()).isFalse();
    }

    @Test
    void aFinetuneEpochWithValidationRoundTrips() throws IOException {
        EpochMetrics m = new EpochMetrics(7, 0.1, 0.02, 0.3, 0.3, "1-2", 5, 6, Map.of("fc1", 0.25),
                Map.of("fc1", -0.01), Map.of("fc1", 0.33), 1.0, EpochMetrics.FINETUNE, 0.0125, true);
        MetricsLog log = MetricsLog.create(run);
        log.append(m);
        assertThat(Files.readString(run.resolve(MetricsLog.JSONL_FILE)))
                .contains("\"phase\":\"finetune\",\"validationError\":0.0125,\"budgetMet\":true}");
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).containsExactly(m);
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV_FILE)).get(1))
                .isEqualTo("7,0.1,0.02,0.3,0.3,1-2,5,6,1.0,finetune,0.0125,true,0.33,0.25,-0.01");
    }

    @Test
    void writesOneCompactJsonObjectPerEpoch() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        log.append(FIRST);

        assertThat(Files.readString(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(FIRST_JSON + "\n");
    }

    @Test
    void theJsonLinesReadBackToEqualRecords() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        List<EpochMetrics> epochs = Fixtures.layerWise(5);
        for (EpochMetrics m : epochs) {
            log.append(m);
        }

        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(epochs);
        assertThat(log.epochs()).isEqualTo(epochs);
    }

    @Test
    void resumeKeepsTheEpochsUpToTheCheckpointAndRewritesBothFiles() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        for (EpochMetrics m : Fixtures.constrained(5)) {
            log.append(m);
        }

        MetricsLog resumed = MetricsLog.resume(run, 3);

        assertThat(resumed.epochs()).isEqualTo(Fixtures.constrained(3));
        assertThat(MetricsLog.read(run.resolve(MetricsLog.JSONL_FILE))).isEqualTo(Fixtures.constrained(3));
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV_FILE))).hasSize(1 + 3);
        resumed.append(Fixtures.constrained(4).get(3));
        assertThat(resumed.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4);
    }

    @Test
    void resumeOfARunWithoutMetricsIsEmpty() throws IOException {
        assertThat(MetricsLog.resume(run, 7).epochs()).isEmpty();
        assertThat(run.resolve(MetricsLog.JSONL_FILE)).doesNotExist();
    }

    @Test
    void appendRefusesAnEpochThatDoesNotFollowTheLast() throws IOException {
        MetricsLog log = MetricsLog.create(run);
        log.append(SECOND);

        assertThatThrownBy(() -> log.append(FIRST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epoch must be > 2 (the last epoch logged), got 1");
        assertThat(log.epochs()).containsExactly(SECOND);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"epoch\":2,\"trainLoss\":0.2 | not valid JSON",
        "[1,2] | expected a JSON object",
        "{\"epoch\":2} | missing field \"trainLoss\"",
        "{\"epoch\":\"two\"} | field \"epoch\" must be an integer, got \"two\"",
        "{\"epoch\":2,\"bogus\":1} | unknown field \"bogus\"",
    })
    void aMalformedLineIsRejectedNamingTheFileAndLine(String secondLine, String fault) throws IOException {
        Path jsonl = run.resolve(MetricsLog.JSONL_FILE);
        Files.writeString(jsonl, FIRST_JSON + "\n" + secondLine + "\n");

        assertThatThrownBy(() -> MetricsLog.read(jsonl))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(jsonl + ":2: malformed metrics record: ")
                .hasMessageContaining(fault);
    }

    @Test
    void anOutOfRangeValueIsRejectedWithTheRecordsOwnMessage() throws IOException {
        Path jsonl = run.resolve(MetricsLog.JSONL_FILE);
        Files.writeString(jsonl, "\n" + FIRST_JSON.replace("\"testError\":0.25", "\"testError\":1.5") + "\n");

        assertThatThrownBy(() -> MetricsLog.read(jsonl))
                .isInstanceOf(IOException.class)
                .hasMessage(jsonl + ":2: malformed metrics record: testError must be in [0, 1], got 1.5");
    }

    @Test
    void epochsOutOfOrderAreRejected() throws IOException {
        Path jsonl = run.resolve(MetricsLog.JSONL_FILE);
        Files.writeString(jsonl, FIRST_JSON + "\n" + FIRST_JSON + "\n");

        assertThatThrownBy(() -> MetricsLog.read(jsonl))
                .isInstanceOf(IOException.class)
                .hasMessage(jsonl + ":2: epoch 1 does not follow epoch 1 (epochs must increase strictly)");
    }
}
