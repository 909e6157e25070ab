package org.nnft.ensemble;

/** Gauss–Legendre rules: nodes and weights on [-1, 1], and composite rules on an interval. */
public final class GaussLegendre {
  private GaussLegendre() {}

  /** The n-point rule on [-1, 1]: {nodes, weights}, nodes ascending (Newton on P_n from Chebyshev guesses). */
  public static double[][] rule(int n) {
    if (n < 1) throw new IllegalArgumentException("a rule needs a point");
    double[] x = new double[n], w = new double[n];
    for (int i = 0; i < (n + 1) / 2; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      for (int it = 0; it < 100; it++) {
        double[] p = legendre(n, z);
        double z1 = z;
        z = z1 - p[0] / p[1];
        if (Math.abs(z - z1) < 1e-16) break;
      }
      double dp = legendre(n, z)[1];
      x[i] = -z;
      x[n - 1 - i] = z;
      w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
    }
    if (n % 2 == 1) x[n / 2] = 0;
    return new double[][] {x, w};
  }

  /** {P_n(z), P_n'(z)} by the three-term recurrence. */
  private static double[] legendre(int n, double z) {
    double p0 = 1, p1 = 0;
    for (int k = 1; k <= n; k++) {
      double p2 = p1;
      p1 = p0;
      p0 = ((2 * k - 1) * z * p1 - (k - 1) * p2) / k;
    }
    return new double[] {p0, n * (z * p0 - p1) / (z * z - 1)};
  }

  /** {nodes, weights} of {@code panels} equal panels of the {@code order}-point rule on [a, b]. */
  public static double[][] composite(double a, double b, int panels, int order) {
    double[][] r = rule(order);
    double h = (b - a) / panels;
    double[] x = new double[panels * order], w = new double[panels * order];
    for (int p = 0; p < panels; p++) {
      double mid = a + (p + 0.5) * h;
      for (int k = 0; k < order; k++) {
        x[p * order + k] = mid + 0.5 * h * r[0][k];
        w[p * order + k] = 0.5 * h * r[1][k];
      }
    }
    return new double[][] {x, w};
  }
}
