package io.github.lagrange4j.constrained.feasibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The per-constraint feasibility verdict at the end of a run (or at any step): one {@link
 * ConstraintVerdict} per observed constraint entry, in the problem's order.
 *
 * <p>Obtained from {@code ConstrainedOptimizer.feasibility(batch, tolerance)}, which evaluates the
 * problem's strict violations on the given batch (e.g. the whole held-out set) without gradients.
 * For an indexed constraint only the entries that batch observes are judged.
 *
 * @param step the number of optimizer steps completed when the report was made
 * @param verdicts the verdicts (copied, unmodifiable)
 */
public record FeasibilityReport(long step, List<ConstraintVerdict> verdicts) {

    /** Validates and copies. */
    public FeasibilityReport {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        verdicts = List.copyOf(Objects.requireNonNull(verdicts, "verdicts must not be null"));
    }

    /**
     * Returns whether every entry is met.
     *
     * @return true if no verdict fails
     */
    public boolean allMet() {
        return verdicts.stream().allMatch(ConstraintVerdict::met);
    }

    /**
     * Returns the entries not met.
     *
     * @return the failing verdicts, in order
     */
    public List<ConstraintVerdict> unmet() {
        return verdicts.stream().filter(v -> !v.met()).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns the verdicts of one constraint.
     *
     * @param constraint the constraint name
     * @return its verdicts, by entry
     * @throws IllegalArgumentException if the report has none for this name
     */
    public List<ConstraintVerdict> verdicts(String constraint) {
        List<ConstraintVerdict> out = new ArrayList<>();
        for (ConstraintVerdict v : verdicts) {
            if (v.constraint().equals(constraint)) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no constraint named '" + constraint + "' in this report");
        }
        return List.copyOf(out);
    }

    /**
     * Returns the verdict of a scalar constraint (or of entry 0).
     *
     * @param constraint the constraint name
     * @return the first verdict of that constraint
     */
    public ConstraintVerdict verdict(String constraint) {
        return verdicts(constraint).get(0);
    }

    /**
     * Returns the largest residual violation over all entries ({@code -inf} if there is none).
     *
     * @return {@code max residual}
     */
    public double maxResidual() {
        return verdicts.stream().mapToDouble(ConstraintVerdict::residual).max().orElse(Double.NEGATIVE_INFINITY);
    }

    /**
     * Returns a multi-line summary: a header with the counts, then one line per entry (at most
     * {@code maxLines} entries, the unmet ones first).
     *
     * @param maxLines the maximum number of entry lines, {@code >= 0}
     * @return the text
     */
    public String format(int maxLines) {
        if (maxLines < 0) {
            throw new IllegalArgumentException("maxLines must be >= 0, got " + maxLines);
        }
        List<ConstraintVerdict> ordered = new ArrayList<>(unmet());
        verdicts.stream().filter(ConstraintVerdict::met).forEach(ordered::add);
        StringBuilder sb = new StringBuilder("feasibility after step " + step + ": "
                + (verdicts.size() - unmet().size()) + "/" + verdicts.size() + " met");
        for (int i = 0; i < Math.min(maxLines, ordered.size()); i++) {
            sb.append(System.lineSeparator()).append("  ").append(ordered.get(i).describe());
        }
        if (ordered.size() > maxLines) {
            sb.append(System.lineSeparator()).append("  ... ").append(ordered.size() - maxLines).append(" more");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format(20);
    }
}
