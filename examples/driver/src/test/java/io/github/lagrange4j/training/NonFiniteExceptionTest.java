package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonFiniteExceptionTest {

    @Test
    void theMessageNamesTheQuantityTheStepAndTheSettingsAndTheResumeInTheDriversTerms() {
        RunSettings settings = RunSettings.quick();

        NonFiniteException e = new NonFiniteException("loss", Double.NaN, 2, 17, settings);

        assertThat(e.diagnosis()).isEqualTo("non-finite loss = NaN at epoch 2, step 17: training diverged; look at"
                + " the learning rates (lr=0.001, gate-lr=0.02, dual-lr=0.03) and the batch size (128).");
        assertThat(e.getMessage()).isEqualTo(e.diagnosis() + " The last good checkpoint is kept; resume the run after"
                + " changing them (SparsityRun.resume with allowConfigChange).");
        assertThat(e.getMessage()).doesNotContain("--");
    }
}
