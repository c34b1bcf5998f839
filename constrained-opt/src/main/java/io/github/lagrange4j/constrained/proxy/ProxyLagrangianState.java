package io.github.lagrange4j.constrained.proxy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The state of the proxy-Lagrangian weight player over {@code d = m + 1} weights (index 0: the
 * objective, {@code 1..m}: the constraints), on the JVM in float64.
 *
 * <p>Swap regret: a {@code d x d} left-stochastic matrix {@code M} (each column a distribution); the
 * weights {@code q} are its stationary vector {@code M q = q}, found by power iteration from the
 * uniform vector. External regret: one column, {@code q} itself. Multiplicative updates store {@code
 * log M}.
 *
 * <p>Update with the strict violations {@code g} and {@code c = (0, g_1..g_m)}: the ascent direction
 * is {@code G = c q^T} (swap) or {@code c} (external); then {@code S <- S + eta G} and each column is
 * projected: multiplicative: {@code log}-renormalised ({@code S_ij <- S_ij - log sum_k exp S_kj}),
 * then floored at {@code log(minimumRadius / d)}; additive: the Euclidean projection onto the
 * simplex (Duchi et al., ICML 2008). (Cotter, Jiang, Sridharan, ALT 2019, Algorithm 2; TFCO.)
 */
public final class ProxyLagrangianState {

    private static final int MAX_POWER_ITERATIONS = 10_000;
    private static final double POWER_TOLERANCE = 1e-13;

    private final ProxyLagrangianSettings settings;
    private final int dimension;
    private final double[][] state;

    /**
     * Creates the initial state: weight {@code 1 - r m / d} on the objective, {@code r / d} on each
     * constraint ({@code r} the initial radius).
     *
     * @param settings the settings
     * @param numConstraints {@code m >= 1}
     */
    public ProxyLagrangianState(ProxyLagrangianSettings settings, int numConstraints) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (numConstraints < 1) {
            throw new IllegalArgumentException("numConstraints must be >= 1, got " + numConstraints);
        }
        this.settings = settings;
        this.dimension = numConstraints + 1;
        int columns = settings.regret() == RegretType.SWAP ? dimension : 1;
        this.state = new double[dimension][columns];
        double one = 1 - settings.initialRadius() * (dimension - 1) / dimension;
        double zero = settings.initialRadius() / dimension;
        boolean log = settings.update() == UpdateType.MULTIPLICATIVE;
        for (int i = 0; i < dimension; i++) {
            double v = i == 0 ? one : zero;
            Arrays.fill(state[i], log ? Math.log(v) : v);
        }
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public ProxyLagrangianSettings settings() {
        return settings;
    }

    /**
     * Returns the current weights {@code q} (objective first), summing to 1.
     *
     * @return a new array of {@code m + 1} weights
     */
    public double[] distribution() {
        double[][] m = matrix();
        if (m[0].length == 1) {
            double[] q = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                q[i] = m[i][0];
            }
            return normalised(q);
        }
        return stationary(m);
    }

    /**
     * Returns the state as a (left-stochastic, for swap regret) matrix, exponentiated for
     * multiplicative updates.
     *
     * @return a copy, {@code d x d} (swap) or {@code d x 1} (external)
     */
    public double[][] matrix() {
        double[][] m = new double[dimension][];
        for (int i = 0; i < dimension; i++) {
            m[i] = state[i].clone();
            if (settings.update() == UpdateType.MULTIPLICATIVE) {
                for (int j = 0; j < m[i].length; j++) {
                    m[i][j] = Math.exp(m[i][j]);
                }
            }
        }
        return m;
    }

    /**
     * Returns the stationary vector of a left-stochastic matrix by power iteration: {@code v <- M v /
     * ||M v||} from the uniform vector until two iterates differ by at most 1e-13 (at most 10,000
     * iterations), then {@code |v| / sum |v|}.
     *
     * @param m a non-negative square matrix whose columns sum to 1
     * @return its stationary distribution
     */
    public static double[] stationary(double[][] m) {
        int n = m.length;
        double[] v = new double[n];
        Arrays.fill(v, 1 / Math.sqrt(n));
        for (int it = 0; it < MAX_POWER_ITERATIONS; it++) {
            double[] next = new double[n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i] += m[i][j] * v[j];
                }
                norm += next[i] * next[i];
            }
            norm = Math.sqrt(norm);
            double diff = 0;
            for (int i = 0; i < n; i++) {
                next[i] /= norm;
                diff += (next[i] - v[i]) * (next[i] - v[i]);
            }
            v = next;
            if (Math.sqrt(diff) <= POWER_TOLERANCE) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        return normalised(v);
    }

    /**
     * One ascent step of the weight player with the strict violations of this step.
     *
     * @param violations {@code g_1..g_m}, finite
     */
    public void update(double[] violations) {
        if (violations.length != dimension - 1) {
            throw new IllegalArgumentException(
                    "expected " + (dimension - 1) + " constraint violations, got " + violations.length);
        }
        double[] c = new double[dimension];
        for (int i = 1; i < dimension; i++) {
            if (!Double.isFinite(violations[i - 1])) {
                throw new IllegalArgumentException("violations must be finite, got " + violations[i - 1]);
            }
            c[i] = violations[i - 1];
        }
        double[] q = settings.regret() == RegretType.SWAP ? distribution() : new double[] {1};
        double eta = settings.learningRate();
        for (int i = 0; i < dimension; i++) {
            for (int j = 0; j < state[i].length; j++) {
                state[i][j] += eta * c[i] * q[j];
            }
        }
        for (int j = 0; j < state[0].length; j++) {
            projectColumn(j);
        }
    }

    private void projectColumn(int j) {
        if (settings.update() == UpdateType.MULTIPLICATIVE) {
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : state) {
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (double[] row : state) {
                sum += Math.exp(row[j] - max);
            }
            double logSum = max + Math.log(sum);
            double floor = Math.log(settings.minimumRadius() / dimension);
            for (double[] row : state) {
                row[j] = Math.max(row[j] - logSum, floor);
            }
        } else {
            double[] col = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                col[i] = state[i][j];
            }
            double[] p = projectOntoSimplex(col);
            for (int i = 0; i < dimension; i++) {
                state[i][j] = p[i];
            }
        }
    }

    /**
     * The Euclidean projection onto the probability simplex: {@code max(0, x_i - tau)} with the
     * {@code tau} that makes it sum to 1 (sort-based, Duchi et al., ICML 2008).
     *
     * @param x the point
     * @return its projection
     */
    public static double[] projectOntoSimplex(double[] x) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double cumulative = 0;
        double tau = 0;
        for (int k = sorted.length - 1, count = 1; k >= 0; k--, count++) {
            cumulative += sorted[k];
            double t = (cumulative - 1) / count;
            if (sorted[k] - t > 0) {
                tau = t;
            }
        }
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.max(0, x[i] - tau);
        }
        return p;
    }

    private static double[] normalised(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= sum;
        }
        return v;
    }

    /**
     * Writes the state (IEEE-754 bits).
     *
     * @param out the stream
     * @throws IOException on write failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(dimension);
        out.writeInt(state[0].length);
        for (double[] row : state) {
            for (double v : row) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
    }

    /**
     * Reads a state written by {@link #save} from a player with the same settings and size.
     *
     * @param in the stream
     * @throws IOException on read failure or a size mismatch
     */
    public void load(DataInputStream in) throws IOException {
        int d = in.readInt();
        int columns = in.readInt();
        if (d != dimension || columns != state[0].length) {
            throw new IOException("proxy-Lagrangian state is " + dimension + "x" + state[0].length
                    + ", checkpoint has " + d + "x" + columns);
        }
        for (double[] row : state) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Double.longBitsToDouble(in.readLong());
            }
        }
    }
}
