package org.nnft.ode;

/**
 * Small dense-matrix helpers for the neural-ODE gauge code (row-major {@code double[rows][cols]}).
 * Sizes here are tiny (the state dimension of a NODE), so plain loops are used throughout.
 */
public final class OdeMatrices {
  private OdeMatrices() {}

  static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) m[i][i] = 1.0;
    return m;
  }

  static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
    return c;
  }

  /** Checks that {@code a} is a non-empty rectangular matrix and returns its column count. */
  static int cols(double[][] a, String name) {
    if (a == null || a.length == 0 || a[0] == null || a[0].length == 0) {
      throw new IllegalArgumentException(name + " must be a non-empty matrix");
    }
    int c = a[0].length;
    for (double[] row : a) {
      if (row == null || row.length != c) {
        throw new IllegalArgumentException(name + " must be rectangular");
      }
    }
    return c;
  }

  static void requireSquare(double[][] a, int n, String name) {
    if (a == null || a.length != n) {
      throw new IllegalArgumentException(name + " must be " + n + "x" + n);
    }
    for (double[] row : a) {
      if (row == null || row.length != n) {
        throw new IllegalArgumentException(name + " must be " + n + "x" + n);
      }
    }
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length, k = b.length, m = b[0].length;
    if (a[0].length != k) throw new IllegalArgumentException("matrix size mismatch");
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      double[] ci = c[i];
      for (int p = 0; p < k; p++) {
        double aip = a[i][p];
        if (aip == 0.0) continue;
        double[] bp = b[p];
        for (int j = 0; j < m; j++) ci[j] += aip * bp[j];
      }
    }
    return c;
  }

  static double[] multiply(double[][] a, double[] x) {
    if (a[0].length != x.length) throw new IllegalArgumentException("matrix-vector size mismatch");
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double s = 0;
      double[] ai = a[i];
      for (int j = 0; j < x.length; j++) s += ai[j] * x[j];
      y[i] = s;
    }
    return y;
  }

  /** a + s * b. */
  static double[][] addScaled(double[][] a, double s, double[][] b) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) c[i][j] = a[i][j] + s * b[i][j];
    }
    return c;
  }

  /** Largest absolute entry of a - b. */
  static double maxAbsDiff(double[][] a, double[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
    }
    return m;
  }

  static double maxAbs(double[][] a) {
    double m = 0;
    for (double[] row : a) for (double v : row) m = Math.max(m, Math.abs(v));
    return m;
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) m = Math.max(m, Math.abs(v));
    return m;
  }

  /**
   * Inverse by Gauss–Jordan elimination with partial pivoting.
   *
   * @throws ArithmeticException if the matrix is numerically singular
   */
  static double[][] inverse(double[][] a) {
    int n = a.length;
    requireSquare(a, n, "matrix");
    double[][] m = copy(a);
    double[][] inv = identity(n);
    double scale = Math.max(maxAbs(a), Double.MIN_NORMAL);
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
      }
      if (!(Math.abs(m[piv][col]) > 1e-14 * scale)) {
        throw new ArithmeticException("matrix is singular to working precision");
      }
      swap(m, piv, col);
      swap(inv, piv, col);
      double d = m[col][col];
      for (int j = 0; j < n; j++) {
        m[col][j] /= d;
        inv[col][j] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r == col) continue;
        double f = m[r][col];
        if (f == 0.0) continue;
        for (int j = 0; j < n; j++) {
          m[r][j] -= f * m[col][j];
          inv[r][j] -= f * inv[col][j];
        }
      }
    }
    return inv;
  }

  /** Solves a x = b (a square, invertible). */
  static double[] solve(double[][] a, double[] b) {
    return multiply(inverse(a), b);
  }

  private static void swap(double[][] m, int i, int j) {
    if (i == j) return;
    double[] t = m[i];
    m[i] = m[j];
    m[j] = t;
  }
}
