package io.github.lagrange4j.constrained.selection;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent LP solver for tiny problems, for tests: every vertex of {@code {x : A x <= b, C x = d}}
 * is found by making {@code dim - rows(C)} inequalities tight and solving the square system by
 * Gaussian elimination; the best feasible vertex wins.
 */
final class VertexEnumeration {

    private VertexEnumeration() {}

    /** Minimises {@code c . x}; returns the minimiser (or null if no vertex is feasible). */
    static double[] minimise(double[] c, double[][] a, double[] b, double[][] eqC, double[] eqD) {
        int dim = c.length;
        int k = dim - eqC.length;
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int[] active : subsets(a.length, k)) {
            double[][] m = new double[dim][];
            double[] r = new double[dim];
            for (int i = 0; i < k; i++) {
                m[i] = a[active[i]];
                r[i] = b[active[i]];
            }
            for (int i = 0; i < eqC.length; i++) {
                m[k + i] = eqC[i];
                r[k + i] = eqD[i];
            }
            double[] x = solve(m, r);
            if (x == null || !feasible(x, a, b)) {
                continue;
            }
            double v = dot(c, x);
            if (v < bestValue - 1e-12) {
                bestValue = v;
                best = x;
            }
        }
        return best;
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static boolean feasible(double[] x, double[][] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (dot(a[i], x) > b[i] + 1e-9) {
                return false;
            }
        }
        return true;
    }

    private static double[] solve(double[][] m0, double[] r0) {
        int n = r0.length;
        double[][] m = new double[n][];
        double[] r = r0.clone();
        for (int i = 0; i < n; i++) {
            m[i] = m0[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
                    pivot = i;
                }
            }
            if (Math.abs(m[pivot][col]) < 1e-12) {
                return null;
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            double tr = r[col];
            r[col] = r[pivot];
            r[pivot] = tr;
            for (int i = 0; i < n; i++) {
                if (i != col) {
                    double f = m[i][col] / m[col][col];
                    for (int j = col; j < n; j++) {
                        m[i][j] -= f * m[col][j];
                    }
                    r[i] -= f * r[col];
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r[i] / m[i][i];
        }
        return x;
    }

    private static List<int[]> subsets(int n, int k) {
        List<int[]> out = new ArrayList<>();
        collect(n, k, 0, new int[k], 0, out);
        return out;
    }

    private static void collect(int n, int k, int start, int[] cur, int depth, List<int[]> out) {
        if (depth == k) {
            out.add(cur.clone());
            return;
        }
        for (int i = start; i < n; i++) {
            cur[depth] = i;
            collect(n, k, i + 1, cur, depth + 1, out);
        }
    }
}
