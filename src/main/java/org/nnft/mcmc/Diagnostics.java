package org.nnft.mcmc;

import java.util.Arrays;

/**
 * Convergence diagnostics of Markov chains as the {@code posterior} R package defines them (Vehtari,
 * Gelman, Simpson, Carpenter, Bürkner 2021): rank-normalised split-R̂ (the larger of the bulk and
 * the folded tail R̂), bulk and tail effective sample sizes, the basic ESS of the mean and its Monte
 * Carlo standard error. Draws are {@code x[chain][iteration]}, all chains of one length.
 *
 * <p>The ESS follows posterior's {@code .ess}: autocovariances of each chain (biased, 1/n),
 * Geyer's initial positive sequence of paired autocorrelations, made monotone, with the
 * antithetic correction and the floor τ ≥ 1/log10(S). Split chains drop the middle draw of an
 * odd-length chain. Ranks of ties are averaged, back-transformed with c = 3/8 through the normal
 * quantile.
 */
public final class Diagnostics {
  private Diagnostics() {}

  /** max(R̂ bulk, R̂ tail) of the rank-normalised split chains (NaN when it is not defined). */
  public static double rhat(double[][] x) {
    if (bad(x)) return Double.NaN;
    double bulk = rhatBasic(zScale(split(x)));
    double tail = rhatBasic(zScale(split(fold(x))));
    if (Double.isNaN(bulk)) return tail;
    if (Double.isNaN(tail)) return bulk;
    return Math.max(bulk, tail);
  }

  /**
   * {R̂, bulk ESS, tail ESS, MCSE of the mean} at once, with two sorts of the draws instead of six
   * (the same numbers as {@link #rhat}, {@link #essBulk}, {@link #essTail} and {@link #mcseMean}).
   */
  public static double[] summary(double[][] x) {
    if (bad(x)) return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    double[] sorted = all(x);
    Arrays.sort(sorted);
    double[][] sp = split(x);
    double[][] z = zScale(sp, sorted);
    double bulk = rhatBasic(z);
    double essB = ess(z);
    double med = quantileSorted(sorted, 0.5);
    double[][] f = new double[x.length][];
    for (int c = 0; c < x.length; c++) {
      f[c] = new double[x[c].length];
      for (int i = 0; i < x[c].length; i++) f[c][i] = Math.abs(x[c][i] - med);
    }
    double tail = rhatBasic(zScale(split(f)));
    double r = Double.isNaN(bulk) ? tail : Double.isNaN(tail) ? bulk : Math.max(bulk, tail);
    double essT = Math.min(essIndicator(x, quantileSorted(sorted, 0.05)), essIndicator(x, quantileSorted(sorted, 0.95)));
    double mcse = sd(all(x)) / Math.sqrt(ess(sp));
    return new double[] {r, essB, essT, mcse};
  }

  private static double essIndicator(double[][] x, double q) {
    double[][] ind = new double[x.length][];
    for (int c = 0; c < x.length; c++) {
      ind[c] = new double[x[c].length];
      for (int i = 0; i < x[c].length; i++) ind[c][i] = x[c][i] <= q ? 1 : 0;
    }
    return bad(ind) ? Double.NaN : ess(split(ind));
  }

  /** The classic split-R̂ of the draws themselves (posterior's rhat_basic). */
  public static double rhatSplit(double[][] x) {
    if (bad(x)) return Double.NaN;
    return rhatBasic(split(x));
  }

  /** Bulk ESS: the ESS of the rank-normalised split chains. */
  public static double essBulk(double[][] x) {
    if (bad(x)) return Double.NaN;
    return ess(zScale(split(x)));
  }

  /** Tail ESS: the smaller ESS of the indicators of the 5% and 95% quantiles. */
  public static double essTail(double[][] x) {
    if (bad(x)) return Double.NaN;
    return Math.min(essQuantile(x, 0.05), essQuantile(x, 0.95));
  }

  /** The ESS of the indicator x ≤ q(p) (q the type-7 quantile of all draws). */
  public static double essQuantile(double[][] x, double p) {
    if (bad(x)) return Double.NaN;
    return essIndicator(x, quantile(all(x), p));
  }

  /** The ESS of the mean of the draws themselves (split chains, posterior's ess_basic / ess_mean). */
  public static double essMean(double[][] x) {
    if (bad(x)) return Double.NaN;
    return ess(split(x));
  }

  /** The Monte Carlo standard error of the mean: sd / sqrt(ESS of the mean). */
  public static double mcseMean(double[][] x) {
    if (bad(x)) return Double.NaN;
    return sd(all(x)) / Math.sqrt(essMean(x));
  }

  /** posterior returns NA for fewer than 3 iterations, non-finite draws, or constant draws. */
  private static boolean bad(double[][] x) {
    if (x.length == 0 || x[0].length < 3) return true;
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (double[] c : x) {
      if (c.length != x[0].length) throw new IllegalArgumentException("chains of different lengths");
      for (double v : c) {
        if (!Double.isFinite(v)) return true;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    // posterior's is_constant: a range below the double epsilon
    return Math.abs(hi - lo) < 2.220446049250313e-16;
  }

  /** Each chain cut into its first and second half (the middle draw of an odd chain dropped). */
  static double[][] split(double[][] x) {
    int n = x[0].length;
    if (n == 1) return x;
    int h = n / 2;
    double[][] out = new double[2 * x.length][];
    for (int c = 0; c < x.length; c++) {
      out[c] = Arrays.copyOfRange(x[c], 0, h);
      out[x.length + c] = Arrays.copyOfRange(x[c], n - h, n);
    }
    return out;
  }

  /** |x − median(x)|. */
  static double[][] fold(double[][] x) {
    double m = quantile(all(x), 0.5);
    double[][] out = new double[x.length][];
    for (int c = 0; c < x.length; c++) {
      out[c] = new double[x[c].length];
      for (int i = 0; i < x[c].length; i++) out[c][i] = Math.abs(x[c][i] - m);
    }
    return out;
  }

  /** Rank-normalisation: average ranks of all draws, (r − 3/8)/(S + 1/4), through the normal quantile. */
  static double[][] zScale(double[][] x) {
    double[] sorted = all(x);
    Arrays.sort(sorted);
    return zScale(x, sorted);
  }

  /** zScale with the draws already sorted (sorted holds the values of x, or of x with the middle draws split chains drop, ignored). */
  private static double[][] zScale(double[][] x, double[] sortedAll) {
    int chains = x.length, n = x[0].length, s = chains * n;
    double[] v = new double[s];
    for (int c = 0; c < chains; c++) System.arraycopy(x[c], 0, v, c * n, n);
    double[] sorted = sortedAll.length == s ? sortedAll : v.clone();
    if (sorted != sortedAll) Arrays.sort(sorted);
    // the average rank of a value: between the first and the last place it takes in the sorted draws
    // the average rank of each run of ties, stored at the run's first place
    double[] runRank = new double[s];
    for (int i = 0; i < s; ) {
      int j = i;
      while (j + 1 < s && sorted[j + 1] == sorted[i]) j++;
      runRank[i] = (i + 1 + j + 1) / 2.0;
      i = j + 1;
    }
    double[] rank = new double[s];
    for (int i = 0; i < s; i++) rank[i] = runRank[lowerBound(sorted, v[i])];
    double[][] out = new double[chains][n];
    for (int c = 0; c < chains; c++) for (int i = 0; i < n; i++) out[c][i] = Normal.quantile((rank[c * n + i] - 0.375) / (s - 0.75 + 1));
    return out;
  }

  /** The first index of a sorted array whose value is at least x. */
  private static int lowerBound(double[] a, double x) {
    int lo = 0, hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** sqrt((B/W + n − 1)/n) with B = n var(chain means), W = mean chain variance. */
  static double rhatBasic(double[][] x) {
    int chains = x.length, n = x[0].length;
    if (n < 2 || chains < 2 && n < 2) return Double.NaN;
    double[] mean = new double[chains];
    double w = 0;
    for (int c = 0; c < chains; c++) {
      mean[c] = mean(x[c]);
      w += var(x[c]);
    }
    w /= chains;
    double b = chains > 1 ? n * var(mean) : 0;
    double r = Math.sqrt((b / w + n - 1) / n);
    return Double.isFinite(r) ? r : Double.NaN;
  }

  /** posterior's .ess: Geyer's initial monotone sequence over the chains' mean autocorrelation. */
  static double ess(double[][] x) {
    int chains = x.length, n = x[0].length;
    if (n < 3) return Double.NaN;
    for (double[] c : x) for (double v : c) if (!Double.isFinite(v)) return Double.NaN;
    double[] chainMean = new double[chains];
    double[][] yc = new double[chains][n];
    double[] acov0 = new double[chains];
    for (int c = 0; c < chains; c++) {
      chainMean[c] = mean(x[c]);
      for (int i = 0; i < n; i++) yc[c][i] = x[c][i] - chainMean[c];
      acov0[c] = autocov(yc[c], 0);
    }
    double meanVar = mean(acov0) * n / (n - 1.0);
    double varPlus = meanVar * (n - 1.0) / n;
    if (chains > 1) varPlus += var(chainMean);
    double[] rho = new double[n];
    int t = 0;
    double rhoEven = 1;
    rho[0] = rhoEven;
    double rhoOdd = 1 - (meanVar - meanAcov(yc, 1)) / varPlus;
    rho[1] = rhoOdd;
    while (t < n - 5 && !Double.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
      t += 2;
      rhoEven = 1 - (meanVar - meanAcov(yc, t)) / varPlus;
      rhoOdd = 1 - (meanVar - meanAcov(yc, t + 1)) / varPlus;
      if (rhoEven + rhoOdd >= 0) {
        rho[t] = rhoEven;
        rho[t + 1] = rhoOdd;
      }
    }
    int maxT = t;
    if (rhoEven > 0) rho[maxT] = rhoEven;
    t = 0;
    while (t <= maxT - 4) {
      t += 2;
      if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
        rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
        rho[t + 1] = rho[t];
      }
    }
    double s = (double) chains * n;
    double sum = 0;
    for (int i = 0; i < maxT; i++) sum += rho[i];
    // R's rho_hat_t[1:max_t] is rho_hat_t[c(1, 0)] = rho_hat_t[1] when max_t = 0
    if (maxT == 0) sum = rho[0];
    double tau = -1 + 2 * sum + rho[maxT];
    tau = Math.max(tau, 1 / Math.log10(s));
    return s / tau;
  }

  private static double meanAcov(double[][] yc, int lag) {
    double s = 0;
    for (double[] y : yc) s += autocov(y, lag);
    return s / yc.length;
  }

  /** The biased autocovariance (1/n) Σ y_i y_{i+lag} of a centred chain. */
  private static double autocov(double[] y, int lag) {
    int n = y.length;
    if (lag >= n) return 0;
    double s = 0;
    for (int i = 0; i + lag < n; i++) s += y[i] * y[i + lag];
    return s / n;
  }

  static double[] all(double[][] x) {
    int n = 0;
    for (double[] c : x) n += c.length;
    double[] out = new double[n];
    int k = 0;
    for (double[] c : x) { System.arraycopy(c, 0, out, k, c.length); k += c.length; }
    return out;
  }

  /** The type-7 quantile (R's default). */
  static double quantile(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return quantileSorted(s, p);
  }

  static double quantileSorted(double[] s, double p) {
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  /** The sample variance (n − 1). */
  static double var(double[] v) {
    if (v.length < 2) return Double.NaN;
    double m = mean(v), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / (v.length - 1);
  }

  static double sd(double[] v) { return Math.sqrt(var(v)); }

  /** The standard normal quantile (Wichura's AS 241, PPND16: about 1e-16 relative). */
  static final class Normal {
    private Normal() {}

    static double quantile(double p) {
      if (!(p > 0 && p < 1)) return p == 0 ? Double.NEGATIVE_INFINITY : p == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
      double q = p - 0.5;
      if (Math.abs(q) <= 0.425) {
        double r = 0.180625 - q * q;
        return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
            + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r
            + 3.387132872796366608)
            / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
            + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
      }
      double r = q < 0 ? p : 1 - p;
      r = Math.sqrt(-Math.log(r));
      double val;
      if (r <= 5) {
        r -= 1.6;
        val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
            + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
            + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1.0);
      } else {
        r -= 5;
        val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
            + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
            + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1.0);
      }
      return q < 0 ? -val : val;
    }
  }
}
