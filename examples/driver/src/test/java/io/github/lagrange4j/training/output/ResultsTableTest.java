package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.training.output.ResultsTable.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

    private static final ResultsTable TABLE = ResultsTable.of(List.of(
            new Row("MLP", "penalized λ = 0.1/N", "219-214-100", 0.283, 0.014, 0.0162),
            new Row("MLP", "constrained ε = 0.33", "198-233-100", 0.342, 0.0136, 0.0177)));

    @Test
    void rendersAnAlignedPlainTextTable() {
        assertThat(TABLE.toText()).isEqualTo(""
                + "Model  Approach              Pruned architecture  Density (%)  Best error (%)  Final error (%)\n"
                + "-----  --------------------  -------------------  -----------  --------------  ---------------\n"
                + "MLP    penalized λ = 0.1/N   219-214-100                 28.3            1.40             1.62\n"
                + "MLP    constrained ε = 0.33  198-233-100                 34.2            1.36             1.77\n");
    }

    @Test
    void rendersAMarkdownTableWithRightAlignedNumbers() {
        assertThat(TABLE.toMarkdown()).isEqualTo(""
                + "| Model | Approach             | Pruned architecture | Density (%) | Best error (%) | Final error (%) |\n"
                + "|-------|----------------------|---------------------|------------:|---------------:|----------------:|\n"
                + "| MLP   | penalized λ = 0.1/N  | 219-214-100         |        28.3 |           1.40 |            1.62 |\n"
                + "| MLP   | constrained ε = 0.33 | 198-233-100         |        34.2 |           1.36 |            1.77 |\n");
    }

    @Test
    void summarisesARunFromItsEpochs() {
        // constrained(6): test error 0.05/e, so best = last = 0.05/6; density max(0.30, 1 − 0.6) = 0.4.
        Row row = Row.fromEpochs("MLP", "constrained", Fixtures.constrained(6));
        assertThat(row.prunedArchitecture()).isEqualTo("300-200-94");
        assertThat(row.density()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(row.bestError()).isEqualTo(0.05 / 6);
        assertThat(row.finalError()).isEqualTo(0.05 / 6);
    }

    @Test
    void theBestErrorIsTheMinimumAndTheFinalErrorTheLastEpoch() {
        List<EpochMetrics> epochs = List.of(Fixtures.penalized(3).get(2), withEpochAndError(4, 0.02),
                withEpochAndError(5, 0.03));
        Row row = Row.fromEpochs("LeNet-5-Caffe", "penalized", epochs);
        assertThat(row.bestError()).isEqualTo(0.04 / 3);
        assertThat(row.finalError()).isEqualTo(0.03);
    }

    /** An epoch with a test error, a validation error and whether its deployed model met the budget. */
    static EpochMetrics epoch(int epoch, double test, double validation, boolean met) {
        return new EpochMetrics(epoch, 0.1, test, 0.3, 0.3, "1-2", 10, 20, Map.of("m", 0.5), Map.of("m", 0.0),
                Map.of("m", 0.3), 1.0, epoch > 3 ? EpochMetrics.FINETUNE : EpochMetrics.TRAIN, validation, met);
    }

    @Test
    void withValidationTheBestErrorIsTheTestErrorOfTheBestFeasibleEpochOnValidation() {
        // epoch 1 has the lowest test and validation error but is over budget; among feasible epochs
        // (2, 3, 4) epoch 3 has the lowest validation error, so its test error 0.025 is reported, not 0.015
        List<EpochMetrics> epochs = List.of(epoch(1, 0.010, 0.011, false), epoch(2, 0.015, 0.030, true),
                epoch(3, 0.025, 0.020, true), epoch(4, 0.030, 0.022, true));
        assertThat(Row.fromEpochs("MLP", "constrained", epochs).bestError()).isEqualTo(0.025);
        // none feasible: best validation over all epochs
        List<EpochMetrics> none = List.of(epoch(1, 0.010, 0.021, false), epoch(2, 0.015, 0.020, false));
        assertThat(Row.fromEpochs("MLP", "constrained", none).bestError()).isEqualTo(0.015);
    }

    @Test
    void pipesInCellsAreEscapedInMarkdown() {
        String md = ResultsTable.of(List.of(new Row("a|b", "x", "1-2", 0.5, 0.1, 0.2))).toMarkdown();
        assertThat(md.lines().skip(2).findFirst().orElseThrow()).startsWith("| a\\|b  | x ");
    }

    @Test
    void badRowsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new Row("MLP", "c", "1-2", 1.5, 0.1, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("density must be a fraction in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Row("MLP", "", "1-2", 0.5, 0.1, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("approach must be a non-blank single line, got ");
        assertThatThrownBy(() -> ResultsTable.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rows must hold at least one row, got none");
        assertThatThrownBy(() -> Row.fromEpochs("MLP", "c", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epochs must hold at least one epoch, got none");
    }

    private static EpochMetrics withEpochAndError(int epoch, double error) {
        EpochMetrics m = Fixtures.penalized(1).get(0);
        return new EpochMetrics(epoch, m.trainLoss(), error, m.expectedDensity(), m.deterministicDensity(),
                m.prunedArchitecture(), m.keptParameters(), m.keptMacs(), m.multipliers(), m.violations(),
                m.targetDensities(), m.seconds());
    }
}
