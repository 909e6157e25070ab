package org.nnft.gauge;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Numerical rank of a Jacobian with the tolerance of {@link OrbitDim}:
 * {@code tol = max(rows, cols) · ε · σ_max · 10³} ({@code ε = 2^-52}), where {@code rows} is the number
 * of rows of the Jacobian (batch size × outputs). The rank is the number of singular values above
 * {@code tol}.
 *
 * <p>Two paths:
 * <ul>
 *   <li><b>SVD</b> (up to {@link #DIRECT_COLS} columns): the whole Jacobian is kept; a Householder QR
 *       (when tall) and EJML's SVD of {@code R} give all singular values of the Jacobian itself.
 *   <li><b>Sketch + rank-revealing QR</b> (more columns): rows are streamed into a sparse random
 *       sketch {@code Y = S J} with {@code k = cols + }{@link #OVERSAMPLE} rows (each Jacobian row is
 *       added to {@link #SKETCH_NNZ} random rows of {@code Y} with Gaussian weights), which has the
 *       rank of {@code J} with probability one; its singular values differ from those of {@code J}
 *       by a modest factor (measured: {@code σ_r/σ_max} 3e-6 for the sketch against 1.6e-5 for
 *       {@code J} at 2,121 parameters). Then {@code Y = QR} (EJML, multi-threaded); the columns with
 *       {@code |R_jj| ≤ tol} are moved to the end and {@code R} re-triangularized by a staircase
 *       Householder sweep ({@code O(deficiency · cols²)}), giving {@code [R11 R12; 0 R22]}, so
 *       {@code σ_{r+1}(Y) ≤ ‖R22‖₂}. For {@code σ_r(Y)}: the null space of {@code [R11 R12; 0 R22]}
 *       is spanned by {@code [−R11⁻¹R12; I]}; appending {@code σ_max} times an orthonormal basis of it as
 *       extra rows lifts those directions to about {@code σ_max} and leaves the other singular values,
 *       so {@code σ_r} is the smallest singular value of the re-triangularized augmented matrix,
 *       found by inverse iteration (an estimate from above). The rank {@code r} is certified when
 *       {@code ‖R22‖₂ ≤ tol} and {@code σ_r > }{@link #CERTIFY_MARGIN}{@code  · tol}; otherwise the
 *       full SVD of {@code R} decides (correct but about 10 s at 2,000 columns).
 * </ul>
 */
final class GaugeRank {
  static final int DIRECT_COLS = 500;
  static final int OVERSAMPLE = 64;
  static final int SKETCH_NNZ = 4;
  static final double EPS = Math.ulp(1.0);
  static final double TOL_FACTOR = 1e3;
  /** The certificate wants the σ_r estimate (inverse iteration, an over-estimate) this far above tol. */
  static final double CERTIFY_MARGIN = 2;

  /** The outcome. {@code sigmaR} and {@code sigmaR1} are σ_r and σ_{r+1} (bounds in the sketch path; 0 if absent). */
  record Info(int rank, int rows, int cols, double sigmaMax, double sigmaR, double sigmaR1, double gap,
      double tolerance, String method) {}

  /** A stream of Jacobian rows: calls the sink once per row (the array may be reused afterwards). */
  @FunctionalInterface
  interface Rows {
    void forEach(Consumer<double[]> sink);
  }

  private GaugeRank() {}

  static double tolerance(int rows, int cols, double sigmaMax) {
    return Math.max(rows, cols) * EPS * sigmaMax * TOL_FACTOR;
  }

  /** The numerical rank of the {@code rows × cols} matrix whose rows {@code src} streams. */
  static Info rank(int rows, int cols, Rows src, long seed) {
    if (cols <= DIRECT_COLS || rows <= cols + OVERSAMPLE) {
      DMatrixRMaj J = new DMatrixRMaj(rows, cols);
      int[] r = {0};
      src.forEach(row -> {
        System.arraycopy(row, 0, J.data, r[0] * cols, cols);
        r[0]++;
      });
      if (r[0] != rows) throw new IllegalStateException("expected " + rows + " rows, got " + r[0]);
      if (cols <= DIRECT_COLS || rows < cols) return bySvd(J, rows, "svd");
      return byRrqr(J, rows);
    }
    int k = cols + OVERSAMPLE;
    DMatrixRMaj Y = new DMatrixRMaj(k, cols);
    SplittableRandom rng = new SplittableRandom(seed);
    double w0 = 1 / Math.sqrt(SKETCH_NNZ);
    int[] count = {0};
    src.forEach(row -> {
      for (int s = 0; s < SKETCH_NNZ; s++) {
        int bucket = rng.nextInt(k);
        double w = w0 * rng.nextGaussian();
        int base = bucket * cols;
        double[] y = Y.data;
        for (int j = 0; j < cols; j++) y[base + j] += w * row[j];
      }
      count[0]++;
    });
    if (count[0] != rows) throw new IllegalStateException("expected " + rows + " rows, got " + count[0]);
    Info info = byRrqr(Y, rows);
    return new Info(info.rank, rows, cols, info.sigmaMax, info.sigmaR, info.sigmaR1, info.gap, info.tolerance,
        "sparse sketch to " + k + " rows, " + info.method);
  }

  /** All singular values (descending); tall matrices are reduced by QR first. */
  static double[] singularValues(DMatrixRMaj A) {
    DMatrixRMaj M = A;
    if (A.numRows > 2 * A.numCols && A.numCols > 0) M = upperR(A);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(M.numRows, M.numCols, false, false, true);
    if (!svd.decompose(M.copy())) throw new ArithmeticException("SVD did not converge");
    double[] s = svd.getSingularValues().clone();
    int n = Math.min(M.numRows, M.numCols);
    s = Arrays.copyOf(s, n);
    Arrays.sort(s);
    for (int i = 0; i < n / 2; i++) {
      double t = s[i];
      s[i] = s[n - 1 - i];
      s[n - 1 - i] = t;
    }
    return s;
  }

  private static DMatrixRMaj upperR(DMatrixRMaj A) {
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_MT_DDRM.qr(A.numRows, A.numCols);
    // decompose() reports false when a trailing column is exactly zero (a rank deficiency); R is still valid
    qr.decompose(A.copy());
    return qr.getR(null, true);
  }

  private static Info bySvd(DMatrixRMaj J, int rows, String method) {
    int cols = J.numCols;
    double[] s = singularValues(J);
    return fromSigmas(s, rows, cols, method);
  }

  private static Info fromSigmas(double[] s, int rows, int cols, String method) {
    double smax = s.length == 0 ? 0 : s[0];
    double tol = tolerance(rows, cols, smax);
    int r = 0;
    while (r < s.length && s[r] > tol) r++;
    double sr = r > 0 ? s[r - 1] : 0;
    double sr1 = r < s.length ? s[r] : 0; // beyond min(rows, cols) the singular values are exactly 0
    double gap = r == 0 ? Double.NaN : sr / sr1;
    return new Info(r, rows, cols, smax, sr, sr1, gap, tol, method);
  }

  /** Rank-revealing QR with a certificate; falls back to the SVD of R. {@code A} has at least as many rows as columns. */
  private static Info byRrqr(DMatrixRMaj A, int nominalRows) {
    int n = A.numCols;
    DMatrixRMaj R = upperR(A);
    double smax = normEstimate(R);
    double tol = tolerance(nominalRows, n, smax);
    // columns with a negligible diagonal go to the end
    int[] order = new int[n];
    int r = 0;
    for (int j = 0; j < n; j++) if (Math.abs(R.get(j, j)) > tol) order[r++] = j;
    int d = r;
    for (int j = 0; j < n; j++) if (!(Math.abs(R.get(j, j)) > tol)) order[d++] = j;
    // column-major copy, permuted
    double[][] col = new double[n][];
    for (int c = 0; c < n; c++) {
      int j = order[c];
      double[] v = new double[n];
      for (int i = 0; i <= j; i++) v[i] = R.get(i, j);
      col[c] = v;
    }
    // Staircase Householder: column c (< r) has non-zeros in rows c..order[c] only; the trailing
    // columns are triangularized too, so that R' = [R11 R12; 0 R22] is upper triangular.
    for (int c = 0; c < n; c++) reflect(col, null, c, c < r ? order[c] : n - 1, n);
    double s22 = 0;
    if (r < n) {
      DMatrixRMaj R22 = new DMatrixRMaj(n - r, n - r);
      for (int c = r; c < n; c++) for (int i = r; i <= c; i++) R22.set(i - r, c - r, col[c][i]);
      s22 = singularValues(R22)[0];
    }
    String why;
    if (s22 <= tol) {
      if (r == 0) return new Info(0, nominalRows, n, smax, 0, s22, Double.NaN, tol, "rank-revealing QR");
      // σ_r: append σ_max times an orthonormal basis of the null space of R' as extra rows (this
      // lifts the null directions to about σ_max and leaves the others) and take σ_min of the result
      int p = n - r;
      double[][] N = new double[p][n];
      for (int q = 0; q < p; q++) {
        int c = r + q;
        double[] x = Arrays.copyOf(col[c], r);
        for (int k = r - 1; k >= 0; k--) { // R11 x' = x, column oriented
          x[k] /= col[k][k];
          double xk = x[k];
          for (int i = 0; i < k; i++) x[i] -= col[k][i] * xk;
        }
        for (int i = 0; i < r; i++) N[q][i] = -x[i];
        N[q][c] = 1;
      }
      orthonormalizeRows(N);
      orthonormalizeRows(N);
      double[][] aug = new double[n][p];
      for (int c = 0; c < n; c++) for (int q = 0; q < p; q++) aug[c][q] = smax * N[q][c];
      for (int c = 0; c < n; c++) reflect(col, aug, c, c, n);
      double sr = smallestSingularUpper(col, n);
      if (sr > CERTIFY_MARGIN * tol) {
        double gap = s22 == 0 ? Double.POSITIVE_INFINITY : sr / s22;
        return new Info(r, nominalRows, n, smax, sr, s22, gap, tol,
            "rank-revealing QR (σ_{r+1} ≤ ‖R22‖ = " + fmt(s22) + ")");
      }
      why = "σ_r ≈ " + fmt(sr) + " is within " + CERTIFY_MARGIN + " tol";
    } else {
      why = "‖R22‖ = " + fmt(s22) + " > tol";
    }
    double[] s = singularValues(R);
    return fromSigmas(s, nominalRows, n, "svd of R (rank-revealing QR inconclusive: " + why + ")");
  }

  /**
   * One Householder step on column {@code c} of the column-major {@code col} (rows {@code c..hi}) and,
   * if {@code aug != null}, of the extra rows {@code aug[c][*]} (then {@code hi} must be {@code c}):
   * zeroes column {@code c} below the diagonal and applies the reflection to columns {@code c+1..n-1}.
   */
  private static void reflect(double[][] col, double[][] aug, int c, int hi, int n) {
    double[] v = col[c];
    double[] e = aug == null ? null : aug[c];
    int p = e == null ? 0 : e.length;
    double norm = 0;
    for (int i = c; i <= hi; i++) norm = Math.hypot(norm, v[i]);
    for (int q = 0; q < p; q++) norm = Math.hypot(norm, e[q]);
    double below = 0;
    for (int i = c + 1; i <= hi; i++) below = Math.max(below, Math.abs(v[i]));
    for (int q = 0; q < p; q++) below = Math.max(below, Math.abs(e[q]));
    if (norm == 0 || below == 0) return;
    double alpha = v[c] > 0 ? -norm : norm;
    double h0 = v[c] - alpha;
    double[] h = new double[hi - c + 1];
    h[0] = h0;
    for (int i = c + 1; i <= hi; i++) h[i - c] = v[i];
    double[] g = e == null ? null : e.clone();
    double vv = 0;
    for (double x : h) vv += x * x;
    for (int q = 0; q < p; q++) vv += g[q] * g[q];
    double beta = 2 / vv;
    for (int i = c; i <= hi; i++) v[i] = 0;
    v[c] = alpha;
    if (e != null) Arrays.fill(e, 0);
    for (int cc = c + 1; cc < n; cc++) {
      double[] u = col[cc];
      double[] ua = aug == null ? null : aug[cc];
      double dot = 0;
      for (int i = c; i <= hi; i++) dot += h[i - c] * u[i];
      for (int q = 0; q < p; q++) dot += g[q] * ua[q];
      if (dot == 0) continue;
      double f = beta * dot;
      for (int i = c; i <= hi; i++) u[i] -= f * h[i - c];
      for (int q = 0; q < p; q++) ua[q] -= f * g[q];
    }
  }

  /** Modified Gram–Schmidt on the rows of {@code a}. */
  private static void orthonormalizeRows(double[][] a) {
    for (int q = 0; q < a.length; q++) {
      for (int k = 0; k < q; k++) {
        double d = 0;
        for (int i = 0; i < a[q].length; i++) d += a[q][i] * a[k][i];
        for (int i = 0; i < a[q].length; i++) a[q][i] -= d * a[k][i];
      }
      normalize(a[q]);
    }
  }

  /** ‖R‖₂ of an upper-triangular matrix by power iteration on RᵀR (to a relative 1e-10 or 200 steps). */
  static double normEstimate(DMatrixRMaj R) {
    int n = R.numCols, m = R.numRows;
    if (n == 0) return 0;
    double[] x = new double[n];
    SplittableRandom rng = new SplittableRandom(12345);
    for (int i = 0; i < n; i++) x[i] = rng.nextGaussian();
    double[] y = new double[m];
    double est = 0;
    for (int it = 0; it < 200; it++) {
      normalize(x);
      // y = R x
      for (int i = 0; i < m; i++) {
        double s = 0;
        int base = i * n;
        for (int j = i; j < n; j++) s += R.data[base + j] * x[j];
        y[i] = s;
      }
      double ny = 0;
      for (double v : y) ny += v * v;
      ny = Math.sqrt(ny);
      // x = Rᵀ y
      Arrays.fill(x, 0);
      for (int i = 0; i < m; i++) {
        double yi = y[i];
        int base = i * n;
        for (int j = i; j < n; j++) x[j] += R.data[base + j] * yi;
      }
      if (Math.abs(ny - est) <= 1e-10 * ny) {
        est = ny;
        break;
      }
      est = ny;
    }
    return est;
  }

  /** σ_min of the leading {@code r × r} upper-triangular block (column-major {@code col}) by inverse iteration. */
  private static double smallestSingularUpper(double[][] col, int r) {
    double[] x = new double[r];
    SplittableRandom rng = new SplittableRandom(777);
    for (int i = 0; i < r; i++) x[i] = rng.nextGaussian();
    normalize(x);
    double est = Double.POSITIVE_INFINITY;
    double[] y = new double[r];
    for (int it = 0; it < 100; it++) {
      // solve Rᵀ y = x (forward substitution; Rᵀ is lower triangular; column c of R is row c of Rᵀ)
      for (int c = 0; c < r; c++) {
        double[] rc = col[c];
        double s = x[c];
        for (int i = 0; i < c; i++) s -= rc[i] * y[i];
        y[c] = s / rc[c];
      }
      // solve R z = y (back substitution, column oriented)
      double[] z = y.clone();
      for (int c = r - 1; c >= 0; c--) {
        double[] rc = col[c];
        z[c] /= rc[c];
        double zc = z[c];
        for (int i = 0; i < c; i++) z[i] -= rc[i] * zc;
      }
      double nz = 0;
      for (double v : z) nz += v * v;
      nz = Math.sqrt(nz); // ≈ 1/σ_min² once converged (x is a unit vector)
      if (!Double.isFinite(nz) || nz == 0) return 0;
      double s = 1 / Math.sqrt(nz);
      for (int i = 0; i < r; i++) x[i] = z[i] / nz;
      if (it > 3 && Math.abs(s - est) <= 1e-6 * s) return s;
      est = s;
    }
    return est;
  }

  private static void normalize(double[] x) {
    double s = 0;
    for (double v : x) s += v * v;
    s = Math.sqrt(s);
    if (s == 0) {
      x[0] = 1;
      return;
    }
    for (int i = 0; i < x.length; i++) x[i] /= s;
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.3g", v);
  }
}
