package io.github.lagrange4j.constrained.selection;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates recorded during a run, one per saved snapshot (the caller saves the snapshot's
 * parameters under the same index), with the selection rules of {@link CandidateSelection} and an
 * exact save/restore for resumed runs.
 *
 * <p>Order of calls: every {@code k} steps, save the model as snapshot {@code i = size()} and
 * {@link #add} its candidate; at the end, deploy {@link #bestIndex()} or sample a snapshot from
 * {@link #bestDistribution()}.
 */
public final class CandidateHistory {

    private static final String MAGIC = "lagrange4j-candidates";
    private final List<Candidate> candidates = new ArrayList<>();

    /**
     * Records a candidate; all must have the same number of constraints.
     *
     * @param candidate the snapshot's objective and constraint values
     * @return its index
     */
    public int add(Candidate candidate) {
        if (candidate == null) {
            throw new IllegalArgumentException("candidate must not be null");
        }
        if (!candidates.isEmpty() && candidates.get(0).constraints().length != candidate.constraints().length) {
            throw new IllegalArgumentException("every candidate must have " + candidates.get(0).constraints().length
                    + " constraint values, got " + candidate.constraints().length);
        }
        candidates.add(candidate);
        return candidates.size() - 1;
    }

    /**
     * Returns the recorded candidates.
     *
     * @return an unmodifiable copy, in recording order
     */
    public List<Candidate> candidates() {
        return List.copyOf(candidates);
    }

    /**
     * Returns the number of candidates.
     *
     * @return the size
     */
    public int size() {
        return candidates.size();
    }

    /**
     * Returns the best single snapshot.
     *
     * @return its index
     */
    public int bestIndex() {
        return CandidateSelection.bestIndex(candidates);
    }

    /**
     * Returns the optimal distribution over the snapshots.
     *
     * @return one probability per snapshot
     */
    public double[] bestDistribution() {
        return CandidateSelection.bestDistribution(candidates);
    }

    /**
     * Writes the candidates (IEEE-754 bits).
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(candidates.size());
        for (Candidate c : candidates) {
            out.writeLong(Double.doubleToRawLongBits(c.objective()));
            double[] g = c.constraints();
            out.writeInt(g.length);
            for (double v : g) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
    }

    /**
     * Replaces the candidates with those written by {@link #save}.
     *
     * @param in the stream
     * @throws IOException on read failure or if the stream holds no candidates
     */
    public void load(DataInputStream in) throws IOException {
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a lagrange4j candidate history");
        }
        List<Candidate> read = new ArrayList<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            double f = Double.longBitsToDouble(in.readLong());
            double[] g = new double[in.readInt()];
            for (int j = 0; j < g.length; j++) {
                g[j] = Double.longBitsToDouble(in.readLong());
            }
            read.add(new Candidate(f, g));
        }
        candidates.clear();
        candidates.addAll(read);
    }
}
