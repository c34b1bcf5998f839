package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTextTest {

    @Test
    void multipliersReadAsLambdaOfTheConstraintWithFourDecimals() {
        Map<String, Double> lambdas = new LinkedHashMap<>();
        lambdas.put("l0_model_density", 0.07957788974046709);
        lambdas.put("cap", 14.148143023252487);

        assertThat(ConsoleText.multipliers(lambdas, true)).isEqualTo("  λ[l0_model_density]=0.0796 λ[cap]=14.1481");
        assertThat(ConsoleText.multipliers(lambdas, false))
                .isEqualTo("  lambda[l0_model_density]=0.0796 lambda[cap]=14.1481");
        assertThat(ConsoleText.multipliers(Map.of(), true)).isEmpty();
    }

    @Test
    void smallNumbersKeepThreeSignificantDigitsAndZeroIsZero() {
        assertThat(ConsoleText.number(0.0)).isEqualTo("0");
        assertThat(ConsoleText.number(1.234567e-5)).isEqualTo("1.23e-05");
        assertThat(ConsoleText.number(0.5)).isEqualTo("0.5000");
    }

    @Test
    void plotLabelsNameTheTargetOrThePenaltyReadably() {
        RunSettings constrained = RunSettings.quick().withObjective(o -> o.withEpsilons(0.33));
        RunSettings layerWise = RunSettings.quick()
                .withObjective(o -> o.withScope(ConstraintScope.LAYER).withEpsilons(0.5, 0.3, 0.7));
        RunSettings penalized = RunSettings.quick()
                .withObjective(o -> o.withApproach(Approach.PENALIZED).withPenaltyLambda(0.1));

        assertThat(ConsoleText.plotLabel(constrained)).isEqualTo("constrained ε = 0.33");
        assertThat(ConsoleText.plotLabel(layerWise)).isEqualTo("constrained ε = 0.5, 0.3, 0.7");
        assertThat(ConsoleText.plotLabel(penalized)).isEqualTo("penalized λ = 0.1/N");
    }
}
