package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lagrange4j.constrained.dual.DualAdam;
import io.github.lagrange4j.constrained.dual.DualSgd;
import io.github.lagrange4j.constrained.dual.NuPI;
import org.junit.jupiter.api.Test;

/** A run's dual method names the multiplier update of the constrained-opt module, with validated gains. */
class DualMethodTest {

    @Test
    void eachKindBuildsItsDualOptimizerWithTheRunsStepSize() {
        assertThat(DualMethod.SGD.optimizer(1e-4)).isEqualTo(DualSgd.of(1e-4));
        assertThat(DualMethod.of(DualMethod.Kind.ADAM).optimizer(1e-3)).isEqualTo(DualAdam.of(1e-3));
        assertThat(new DualMethod(DualMethod.Kind.NUPI, 2, 0.5).optimizer(1e-2)).isEqualTo(new NuPI(1e-2, 2, 1, 0.5));
    }

    @Test
    void nuPiDefaultsToOptimisticGradientAscent() {
        assertThat(DualMethod.of(DualMethod.Kind.NUPI)).isEqualTo(new DualMethod(DualMethod.Kind.NUPI, 1, 0));
        assertThat(DualMethod.of(DualMethod.Kind.NUPI).label()).isEqualTo("NUPI(kP=1.0, nu=0.0)");
        assertThat(DualMethod.SGD.label()).isEqualTo("SGD");
    }

    @Test
    void gainsOutOfRangeOrForAnotherKindAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new DualMethod(DualMethod.Kind.NUPI, -1, 0))
                .hasMessage("optimization.dualMethod.kP must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> new DualMethod(DualMethod.Kind.NUPI, 1, 1))
                .hasMessage("optimization.dualMethod.nu must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new DualMethod(DualMethod.Kind.SGD, 1, 0))
                .hasMessage("optimization.dualMethod.kP and optimization.dualMethod.nu apply to"
                        + " optimization.dualMethod.kind NUPI only, not SGD");
    }
}
