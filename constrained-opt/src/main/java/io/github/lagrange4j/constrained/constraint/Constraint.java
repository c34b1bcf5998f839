package io.github.lagrange4j.constrained.constraint;

import io.github.lagrange4j.constrained.formulation.Formulation;
import io.github.lagrange4j.constrained.formulation.Lagrangian;
import io.github.lagrange4j.constrained.formulation.PenaltyCoefficient;
import io.github.lagrange4j.constrained.multiplier.DenseMultiplier;
import io.github.lagrange4j.constrained.multiplier.IndexedMultiplier;
import io.github.lagrange4j.constrained.multiplier.Multiplier;
import io.github.lagrange4j.constrained.multiplier.MultiplierKind;
import java.util.Arrays;
import java.util.Objects;

/**
 * A group of {@code size} constraints of one type, with its formulation, multipliers and penalty
 * coefficients.
 *
 * <p>A constraint needs no {@code NDManager}: its multipliers and penalty coefficients are JVM
 * {@code double[]} state (see {@link Multiplier}), materialised as NDArrays in each step's manager.
 * So a problem object can build its constraints in its constructor, before any engine work.
 *
 * <p>Identity: constraints are compared by identity (they are map keys in {@code CmpState}); names
 * must be unique within a problem (checked by the constrained optimizer and used by checkpoints).
 *
 * <pre>{@code
 * Constraint density = Constraint.inequality("density", 1);            // Lagrangian, lambda0 = 0
 * Constraint rows = Constraint.builder().setName("rows").setType(ConstraintType.EQUALITY)
 *         .setSize(100).optMultiplierKind(MultiplierKind.INDEXED)
 *         .optFormulation(AugmentedLagrangian.of(1.0)).build();
 * }</pre>
 */
public final class Constraint {

    private final String name;
    private final ConstraintType type;
    private final int size;
    private final Formulation formulation;
    private final Multiplier multiplier;
    private final PenaltyCoefficient penaltyCoefficient;

    private Constraint(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.size = b.size;
        this.formulation = b.formulation;
        if (formulation.usesMultiplier()) {
            double[] init = b.initial != null ? b.initial : new double[size];
            if (b.initial == null && b.initialScalar != 0) {
                Arrays.fill(init, b.initialScalar);
            }
            this.multiplier =
                    b.kind == MultiplierKind.DENSE
                            ? new DenseMultiplier(init)
                            : new IndexedMultiplier(init);
        } else {
            this.multiplier = null;
        }
        this.penaltyCoefficient =
                formulation.penaltySchedule() == null
                        ? null
                        : new PenaltyCoefficient(formulation.penaltySchedule(), size);
    }

    /**
     * Creates {@code size} inequality constraints {@code g <= 0}: Lagrangian formulation, dense
     * multipliers starting at 0.
     *
     * @param name the unique name
     * @param size the number of constraints, {@code >= 1}
     * @return the constraint
     */
    public static Constraint inequality(String name, int size) {
        return builder().setName(name).setType(ConstraintType.INEQUALITY).setSize(size).build();
    }

    /**
     * Creates {@code size} equality constraints {@code h = 0}: Lagrangian formulation, dense
     * multipliers starting at 0.
     *
     * @param name the unique name
     * @param size the number of constraints, {@code >= 1}
     * @return the constraint
     */
    public static Constraint equality(String name, int size) {
        return builder().setName(name).setType(ConstraintType.EQUALITY).setSize(size).build();
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the unique name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the type.
     *
     * @return INEQUALITY or EQUALITY
     */
    public ConstraintType type() {
        return type;
    }

    /**
     * Returns the number of constraints in this group.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Returns the formulation.
     *
     * @return the formulation
     */
    public Formulation formulation() {
        return formulation;
    }

    /**
     * Returns the multipliers, or {@code null} for a formulation without multipliers (quadratic
     * penalty).
     *
     * @return the multipliers or null
     */
    public Multiplier multiplier() {
        return multiplier;
    }

    /**
     * Returns the penalty coefficients, or {@code null} if the formulation has none.
     *
     * @return the coefficients or null
     */
    public PenaltyCoefficient penaltyCoefficient() {
        return penaltyCoefficient;
    }

    @Override
    public String toString() {
        return "Constraint[" + name + ", " + type + ", size=" + size + ", " + formulation + "]";
    }

    /** Builds a {@link Constraint}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private String name;
        private ConstraintType type;
        private int size = 1;
        private Formulation formulation = Lagrangian.create();
        private MultiplierKind kind = MultiplierKind.DENSE;
        private double initialScalar;
        private double[] initial;

        Builder() {}

        /**
         * Sets the unique, non-blank name (required).
         *
         * @param name the name
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the type (required).
         *
         * @param type INEQUALITY or EQUALITY
         * @return this builder
         */
        public Builder setType(ConstraintType type) {
            this.type = type;
            return this;
        }

        /**
         * Sets the number of constraints (default 1).
         *
         * @param size {@code >= 1}
         * @return this builder
         */
        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        /**
         * Sets the formulation (default {@link Lagrangian}).
         *
         * @param formulation the formulation
         * @return this builder
         */
        public Builder optFormulation(Formulation formulation) {
            this.formulation = formulation;
            return this;
        }

        /**
         * Sets the multiplier kind (default DENSE).
         *
         * @param kind DENSE or INDEXED
         * @return this builder
         */
        public Builder optMultiplierKind(MultiplierKind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Sets the same initial value for every multiplier (default 0).
         *
         * @param value finite; {@code >= 0} for inequalities
         * @return this builder
         */
        public Builder optInitialMultiplier(double value) {
            this.initialScalar = value;
            this.initial = null;
            return this;
        }

        /**
         * Sets one initial value per multiplier.
         *
         * @param values {@code size} finite values; {@code >= 0} for inequalities
         * @return this builder
         */
        public Builder optInitialMultipliers(double... values) {
            this.initial = values.clone();
            return this;
        }

        /**
         * Builds the constraint.
         *
         * @return the constraint
         * @throws IllegalArgumentException if an argument is missing or out of range
         */
        public Constraint build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must be a non-blank string");
            }
            Objects.requireNonNull(type, "type must be set (INEQUALITY or EQUALITY)");
            if (size < 1) {
                throw new IllegalArgumentException("size must be >= 1, got " + size);
            }
            Objects.requireNonNull(formulation, "formulation must not be null");
            Objects.requireNonNull(kind, "multiplierKind must not be null");
            double[] check = initial != null ? initial : new double[] {initialScalar};
            if (initial != null && initial.length != size) {
                throw new IllegalArgumentException(
                        "initialMultipliers must have size " + size + ", got " + initial.length);
            }
            for (double v : check) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "initialMultiplier must be finite, got " + v);
                }
                if (type == ConstraintType.INEQUALITY && v < 0) {
                    throw new IllegalArgumentException(
                            "initialMultiplier of an inequality must be >= 0, got " + v);
                }
            }
            return new Constraint(this);
        }
    }
}
