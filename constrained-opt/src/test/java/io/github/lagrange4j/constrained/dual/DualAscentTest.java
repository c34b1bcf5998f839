package io.github.lagrange4j.constrained.dual;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.constraint.ConstraintType;
import org.junit.jupiter.api.Test;

/** Order of the dual step: ascent, restart, projection last. */
class DualAscentTest {

    static Constraint constraint(ConstraintType type, double... initial) {
        return Constraint.builder().setName("c").setType(type).setSize(initial.length)
                .optInitialMultipliers(initial).build();
    }

    @Test
    void inequalityMultipliersAreProjectedOntoTheNonNegativeOrthant() {
        Constraint c = constraint(ConstraintType.INEQUALITY, 0.1, 0.1);
        DualAscent ascent = new DualAscent(DualSgd.of(1), false);
        ascent.step(c, ascent.optimizer().init(2), new int[] {0, 1}, new double[] {-0.3, 0.2}, true);
        // 0.1 - 0.3 = -0.2 -> 0; 0.1 + 0.2 = 0.3
        assertThat(c.multiplier().values()).containsExactly(0.0, 0.30000000000000004);
    }

    @Test
    void equalityMultipliersAreFree() {
        Constraint c = constraint(ConstraintType.EQUALITY, 0.1);
        DualAscent ascent = new DualAscent(DualSgd.of(1), true);
        ascent.step(c, ascent.optimizer().init(1), new int[] {0}, new double[] {-0.3}, true);
        assertThat(c.multiplier().value(0)).isEqualTo(0.1 - 0.3);
    }

    @Test
    void restartResetsAStrictlyFeasibleInequalityAndItsOptimizerState() {
        Constraint c = constraint(ConstraintType.INEQUALITY, 0.5, 0.5);
        DualAscent ascent = new DualAscent(new DualSgd(0.5, 0.9), true);
        DualOptimizerState s = ascent.optimizer().init(2);
        ascent.step(c, s, new int[] {0, 1}, new double[] {1, 1}, true);
        assertThat(c.multiplier().values()).containsExactly(1.0, 1.0);
        assertThat(s.copyOfBuffers()[0]).containsExactly(1.0, 1.0);
        // entry 0 becomes strictly feasible: 1 + 0.5*(0.9 - 0.2) = 1.35 -> restart -> 0, momentum cleared
        ascent.step(c, s, new int[] {0, 1}, new double[] {-0.2, 0.0}, true);
        assertThat(c.multiplier().value(0)).isZero();
        assertThat(s.value(0, 0)).isZero();
        assertThat(s.stepCount(0)).isZero();
        // entry 1 (violation exactly 0 is not strictly feasible) keeps its momentum: 1 + 0.5*0.9
        assertThat(c.multiplier().value(1)).isEqualTo(1.45);
    }

    @Test
    void withoutRestartsAFeasibleInequalityOnlyDecreases() {
        Constraint c = constraint(ConstraintType.INEQUALITY, 0.5);
        DualAscent ascent = new DualAscent(DualSgd.of(1), false);
        ascent.step(c, ascent.optimizer().init(1), new int[] {0}, new double[] {-0.125}, true);
        assertThat(c.multiplier().value(0)).isEqualTo(0.375);
    }

    @Test
    void indexedStepTouchesOnlyObservedEntries() {
        Constraint c = Constraint.builder().setName("c").setType(ConstraintType.INEQUALITY).setSize(4)
                .optMultiplierKind(io.github.lagrange4j.constrained.multiplier.MultiplierKind.INDEXED)
                .optInitialMultiplier(1).build();
        DualAscent ascent = new DualAscent(DualSgd.of(0.5), false);
        ascent.step(c, ascent.optimizer().init(4), new int[] {3, 1}, new double[] {2, -4}, true);
        assertThat(c.multiplier().values()).containsExactly(1.0, 0.0, 1.0, 2.0);
    }
}
