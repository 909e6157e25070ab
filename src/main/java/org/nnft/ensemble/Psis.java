package org.nnft.ensemble;

import java.util.Arrays;

/**
 * The Pareto k̂ of importance weights (Vehtari, Simpson, Gelman, Yao, Gabry, "Pareto smoothed
 * importance sampling"): a generalized Pareto distribution fitted by Zhang and Stephens' method,
 * with the weakly informative prior of the PSIS paper, to the M = min(S/5, 3√S) largest weights
 * above the next largest. k̂ < 0.5: the weights have a finite variance; 0.5–0.7: usable, slower;
 * above 0.7 the self-normalised estimate cannot be trusted.
 */
public final class Psis {
  private Psis() {}

  /** How many of the largest weights the fit uses for S draws (and one more is kept for the threshold). */
  public static int tail(long draws) {
    return (int) Math.ceil(Math.min(0.2 * draws, 3 * Math.sqrt(draws)));
  }

  /** k̂ from the largest weights (any order; at least tail(draws) + 1 of them), NaN when there are too few. */
  public static double khat(double[] largest, int count, long draws) {
    int m = Math.min(tail(draws), count - 1);
    if (m < 5) return Double.NaN;
    double[] w = Arrays.copyOf(largest, count);
    Arrays.sort(w);
    double u = w[count - m - 1];
    double[] x = new double[m];
    for (int i = 0; i < m; i++) x[i] = w[count - m + i] - u;
    if (!(x[m - 1] > 0)) return 0;
    return gpdShape(x);
  }

  /** Zhang–Stephens fit of the generalized Pareto shape to ascending exceedances x (x > 0 at the top). */
  static double gpdShape(double[] x) {
    int n = x.length;
    double priorBs = 3, priorK = 10;
    int mEst = 30 + (int) Math.sqrt(n);
    double[] b = new double[mEst], l = new double[mEst];
    double xq = x[Math.max(0, (int) (n / 4.0 + 0.5) - 1)];
    if (!(xq > 0)) xq = x[n - 1] / n;
    for (int j = 0; j < mEst; j++) {
      b[j] = (1 - Math.sqrt(mEst / (j + 1 - 0.5))) / (priorBs * xq) + 1 / x[n - 1];
      double k = 0;
      for (double xi : x) k += Math.log1p(-b[j] * xi);
      k /= n;
      l[j] = n * (Math.log(-b[j] / k) - k - 1);
    }
    double[] wt = new double[mEst];
    double tot = 0;
    for (int j = 0; j < mEst; j++) {
      double s = 0;
      for (int i = 0; i < mEst; i++) s += Math.exp(l[i] - l[j]);
      wt[j] = 1 / s;
      if (!(wt[j] >= 10 * Math.ulp(1.0))) wt[j] = 0;
      tot += wt[j];
    }
    double bPost = 0;
    for (int j = 0; j < mEst; j++) bPost += b[j] * wt[j] / tot;
    double k = 0;
    for (double xi : x) k += Math.log1p(-bPost * xi);
    k /= n;
    return (n * k + priorK * 0.5) / (n + priorK);
  }
}
