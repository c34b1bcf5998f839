package io.github.lagrange4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.lagrange4j.l0.account.LayerAccount;
import io.github.lagrange4j.l0.account.NetworkAccount;
import io.github.lagrange4j.models.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetCheckTest {

    /** The MLP 784-300-100-10 of the paper-protocol constrained run: pruned 198-238-100. */
    private static final NetworkAccount MLP = new NetworkAccount(List.of(
            layer("fc1", 784, 198, 235_500, 198 * 238 + 238, 0.30),
            layer("fc2", 300, 238, 30_100, 238 * 100 + 100, 0.60),
            layer("fc3", 100, 100, 1_010, 1_010, 0.90)),
            "198-238-100", 0.3424, 0, 266_610, 47_362 + 23_900 + 1_010, 0, 0);

    private static LayerAccount layer(String name, long gates, long kept, long total, long keptParameters,
            double expectedDensity) {
        return new LayerAccount(name, gates, kept, total, total, expectedDensity * total, expectedDensity,
                keptParameters, 0, 0);
    }

    private static RunSettings constrained(ConstraintScope scope, double... eps) {
        return RunSettings.paper(ModelKind.MLP, Approach.CONSTRAINED)
                .withObjective(o -> o.withScope(scope).withEpsilons(eps));
    }

    @Test
    void aModelWiseBudgetComparesTheKeptParameterFractionWithEpsilon() {
        BudgetCheck check = BudgetCheck.of(constrained(ConstraintScope.MODEL, 0.33), MLP);

        assertThat(check.entries()).singleElement().satisfies(e -> {
            assertThat(e.scope()).isEqualTo("model");
            assertThat(e.keptFraction()).isEqualTo(72_272 / 266_610.0);
            assertThat(e.expectedDensity()).isEqualTo(0.3424);
            assertThat(e.met()).isTrue();
            assertThat(e.describe()).isEqualTo(
                    "model: eps = 0.33, kept 27.11% of the parameters (expected density 0.3424): met");
        });
        assertThat(check.met()).isTrue();
    }

    @Test
    void aTighterBudgetIsReportedAsExceededByItsMargin() {
        BudgetCheck check = BudgetCheck.of(constrained(ConstraintScope.MODEL, 0.25), MLP);

        assertThat(check.met()).isFalse();
        assertThat(check.entries().get(0).describe()).endsWith("exceeded by 2.11% points");
    }

    @Test
    void aLayerWiseBudgetIsCheckedLayerByLayer() {
        BudgetCheck check = BudgetCheck.of(constrained(ConstraintScope.LAYER, 0.3, 0.7, 1.0), MLP);

        assertThat(check.entries()).extracting(BudgetCheck.Entry::scope).containsExactly("fc1", "fc2", "fc3");
        assertThat(check.entries()).extracting(BudgetCheck.Entry::keptFraction)
                .containsExactly(47_362 / 235_500.0, 23_900 / 30_100.0, 1.0);
        assertThat(check.entries()).extracting(BudgetCheck.Entry::met).containsExactly(true, false, true);
        assertThat(check.met()).isFalse();
    }

    @Test
    void aMacBudgetComparesTheKeptMacFractionWithItsFraction() {
        // pruned 198-238-100: kept MACs 198·238 + 238·100 + 100·10 of 784·300 + 300·100 + 100·10 = 266,200
        NetworkAccount account = new NetworkAccount(MLP.layers(), "198-238-100", 0.3424, 0.3301 * 266_200, 266_610,
                72_272, 266_200, 47_124 + 23_800 + 1_000);

        BudgetCheck check = BudgetCheck.of(constrained(ConstraintScope.MACS, 0.33), account);

        assertThat(check.entries()).singleElement().satisfies(e -> {
            assertThat(e.scope()).isEqualTo("macs");
            assertThat(e.counted()).isEqualTo(BudgetCheck.MACS);
            assertThat(e.keptFraction()).isEqualTo(71_924 / 266_200.0);
            assertThat(e.expectedDensity()).isCloseTo(0.3301, within(1e-12));
            assertThat(e.met()).isTrue();
            assertThat(e.describe())
                    .isEqualTo("macs: eps = 0.33, kept 27.02% of the MACs (expected MAC fraction 0.3301): met");
        });
        BudgetCheck tight = BudgetCheck.of(constrained(ConstraintScope.MACS, 0.25), account);
        assertThat(tight.met()).isFalse();
        assertThat(tight.entries().get(0).describe()).endsWith("exceeded by 2.02% points");
    }

    @Test
    void aPenalizedRunHasNoBudget() {
        BudgetCheck check = BudgetCheck.of(RunSettings.paper(ModelKind.MLP, Approach.PENALIZED), MLP);

        assertThat(check.entries()).isEmpty();
        assertThat(check.met()).isTrue();
    }

    @Test
    void aLayerWiseBudgetMustHaveOneEpsilonPerLayer() {
        RunSettings twoEps = constrained(ConstraintScope.LAYER, 0.3, 0.7, 1.0);
        NetworkAccount twoLayers = new NetworkAccount(MLP.layers().subList(0, 2), "198-238", 0.3, 0, 265_600,
                71_262, 0, 0);

        assertThatThrownBy(() -> BudgetCheck.of(twoEps, twoLayers))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 eps for 2 layers");
    }
}
