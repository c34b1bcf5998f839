package io.github.lagrange4j.constrained;

/**
 * Exact KKT solution of {@code min ||x - a||^2 s.t. A x <= b, C x = d} by enumerating active sets
 * (small problems only), and of the quadratic-penalty problem for a given active set.
 */
public final class KktSolver {

    /**
     * The solution.
     *
     * @param x the minimiser
     * @param lambda inequality multipliers (for {@code f = ||x - a||^2})
     * @param mu equality multipliers
     */
    public record Solution(double[] x, double[] lambda, double[] mu) {}

    private KktSolver() {}

    /**
     * Solves by active-set enumeration: for each active set S, the equality-constrained solution
     * {@code x = a - M^T nu / 2} with {@code (M M^T) nu = 2 (M a - r)}; accepts the first with
     * {@code lambda >= 0} and the inactive rows feasible.
     *
     * @param a the target
     * @param ineqA inequality rows (may be empty)
     * @param ineqB inequality bounds
     * @param eqC equality rows (may be empty)
     * @param eqD equality values
     * @return the solution
     */
    public static Solution solve(double[] a, double[][] ineqA, double[] ineqB, double[][] eqC, double[] eqD) {
        int m = ineqA.length;
        int p = eqC.length;
        for (int mask = 0; mask < (1 << m); mask++) {
            int k = Integer.bitCount(mask) + p;
            double[][] mRows = new double[k][];
            double[] r = new double[k];
            int row = 0;
            for (int j = 0; j < p; j++) {
                mRows[row] = eqC[j];
                r[row++] = eqD[j];
            }
            for (int i = 0; i < m; i++) {
                if ((mask & (1 << i)) != 0) {
                    mRows[row] = ineqA[i];
                    r[row++] = ineqB[i];
                }
            }
            double[][] g = new double[k][k];
            double[] rhs = new double[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    g[i][j] = dot(mRows[i], mRows[j]);
                }
                rhs[i] = 2 * (dot(mRows[i], a) - r[i]);
            }
            double[] nu = gauss(g, rhs);
            double[] x = a.clone();
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < x.length; c++) {
                    x[c] -= mRows[i][c] * nu[i] / 2;
                }
            }
            double[] lambda = new double[m];
            double[] mu = new double[p];
            for (int j = 0; j < p; j++) {
                mu[j] = nu[j];
            }
            boolean ok = true;
            row = p;
            for (int i = 0; i < m; i++) {
                if ((mask & (1 << i)) != 0) {
                    lambda[i] = nu[row++];
                    ok &= lambda[i] >= -1e-12;
                } else {
                    ok &= dot(ineqA[i], x) - ineqB[i] <= 1e-12;
                }
            }
            if (ok) {
                return new Solution(x, lambda, mu);
            }
        }
        throw new IllegalStateException("no KKT point found");
    }

    /**
     * Minimiser of {@code ||x - a||^2 + (c/2) ||M x - r||^2} (the quadratic penalty with the rows
     * M penalised): {@code (2 I + c M^T M) x = 2 a + c M^T r}.
     *
     * @param a the target
     * @param rows the penalised rows
     * @param r their right-hand sides
     * @param c the penalty coefficient
     * @return the minimiser
     */
    public static double[] penaltyMinimiser(double[] a, double[][] rows, double[] r, double c) {
        int n = a.length;
        double[][] h = new double[n][n];
        double[] rhs = new double[n];
        for (int i = 0; i < n; i++) {
            h[i][i] = 2;
            rhs[i] = 2 * a[i];
        }
        for (int k = 0; k < rows.length; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    h[i][j] += c * rows[k][i] * rows[k][j];
                }
                rhs[i] += c * rows[k][i] * r[k];
            }
        }
        return gauss(h, rhs);
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    static double[] gauss(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
                    piv = i;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            double tb = b[col];
            b[col] = b[piv];
            b[piv] = tb;
            for (int i = col + 1; i < n; i++) {
                double f = a[i][col] / a[col][col];
                for (int j = col; j < n; j++) {
                    a[i][j] -= f * a[col][j];
                }
                b[i] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
