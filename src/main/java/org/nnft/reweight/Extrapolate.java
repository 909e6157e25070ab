package org.nnft.reweight;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ejml.simple.SimpleMatrix;
import org.ejml.simple.SimpleSVD;
import org.nnft.check.ArgType;
import org.nnft.check.SType;
import org.nnft.check.Shapes;
import org.nnft.check.StaticCall;
import org.nnft.report.Format;
import org.nnft.runtime.Builtin;
import org.nnft.runtime.Func;
import org.nnft.runtime.Registry;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * extrapolate(estimates, at = xs, order = 1): weighted least squares of estimates y_i against
 * abscissae x_i (1/N, a lattice spacing, ...), linear or quadratic in x, to the value at x = 0.
 *
 * <p>The weights are 1/err_i². The coefficients are a fixed linear map of the estimates, c = L y,
 * so their errors come from applying L to the estimates as they are: every random source replica
 * by replica (estimates of one seed are correlated, and the coefficients' jackknife errors include
 * that), independent errors (given with ±) in quadrature, which for independent estimates is the
 * textbook WLS covariance (XᵀWX)⁻¹. The goodness of fit, χ² = Σ w_i r_i² with n - p degrees of
 * freedom and its upper-tail p-value, treats the estimates as independent; the note says so when
 * they are not.
 */
final class Extrapolate {
  private Extrapolate() {}

  /** Below this p-value the fit is called poor and the run warns. */
  static final double POOR = 0.01;
  /** Above this condition number of the (scaled, weighted) design the abscissae are too close to fit. */
  static final double SINGULAR = 1e10;

  static void register(Registry lib) {
    lib.add(Builtin.fn("extrapolate", "extrapolate(estimates, at = xs, order = 1)")
        .arg("estimates", ArgType.VECTOR)
        .named("at", ArgType.VECTOR, null)
        .named("order", ArgType.INTEGER, "1")
        .returns(ArgType.RECORD)
        .does("weighted least squares (weights 1/error^2) of the estimates in x = at, a line (order 1) or a quadratic (order 2), extrapolated to x = 0: "
            + "a record with intercept, slope, curvature (order 2), chi2, dof, chi2_dof and p_value (when dof > 0), note; warns when p < 0.01 or dof = 0")
        .typed(Extrapolate::type)
        .impl(Extrapolate::extrapolate));
  }

  // ---------------------------------------------------------------- the sentences, shared by checker and run

  static String needsAt() {
    return "extrapolate needs the abscissae as at = [x1, x2, ...], one for each estimate (for N -> infinity, at = [1/n for n in Ns]).";
  }

  static String notAVector(String kind) {
    return "extrapolate takes a vector of estimates, one for each value in at, not " + kind + ".";
  }

  static String atNotAVector(String kind) { return "at takes a vector of abscissae, one for each estimate, not " + kind + "."; }

  static String lengths(int ys, int xs) {
    return "extrapolate needs one value in at for each estimate, not " + count(xs, "value") + " for " + count(ys, "estimate") + ".";
  }

  static String badOrder(double o) {
    return "order is 1 (a line in x) or 2 (a quadratic in x), not " + Format.num(o) + ".";
  }

  static String tooFew(int order, int n) {
    return "a fit of order " + order + " has " + (order + 1) + " parameters and needs at least " + (order + 1) + " estimates, not " + n + ".";
  }

  private static String count(int n, String noun) { return n + " " + noun + (n == 1 ? "" : "s"); }

  private static String model(int order) { return order == 1 ? "a line in x" : "a quadratic in x"; }

  // ---------------------------------------------------------------- before the run

  /** What can be known before the run: the order, that at is given, ranks and lengths of constant vectors. */
  static SType type(StaticCall c) {
    Double ord = c.constant("order");
    if (ord != null && ord != 1 && ord != 2) throw new NnftException(c.namedSpans().get("order"), badOrder(ord));
    if (!c.named().containsKey("at")) throw new NnftException(c.span(), needsAt());
    Integer ny = null, nx = null;
    if (c.arg(0) instanceof SType.Num) throw new NnftException(c.argSpan(0), notAVector("a number"));
    if (c.arg(0) instanceof SType.Arr a && a.known()) {
      if (a.shape().length != 1) throw new NnftException(c.argSpan(0), notAVector(Shapes.text(a.shape())));
      ny = a.shape()[0];
    }
    SType at = c.named().get("at");
    if (at instanceof SType.Num) throw new NnftException(c.namedSpans().get("at"), atNotAVector("a number"));
    if (at instanceof SType.Arr a && a.known()) {
      if (a.shape().length != 1) throw new NnftException(c.namedSpans().get("at"), atNotAVector(Shapes.text(a.shape())));
      nx = a.shape()[0];
    }
    if (ny != null && nx != null && !ny.equals(nx)) throw new NnftException(c.span(), lengths(ny, nx));
    int order = ord == null ? 1 : ord.intValue();
    if (ny != null && (ord != null || !c.named().containsKey("order")) && ny < order + 1) throw new NnftException(c.argSpan(0), tooFew(order, ny));
    return new SType.Other(ArgType.RECORD);
  }

  // ---------------------------------------------------------------- the run

  private static Value extrapolate(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Tensor y = s.interp().tensorArg(a.get(0), s.arg(0), "extrapolate");
    int order = 1;
    if (n.containsKey("order")) {
      double o = s.interp().number(n.get("order"), s.named("order"), "order");
      if (o != 1 && o != 2) throw new NnftException(s.named("order"), badOrder(o));
      order = (int) o;
    }
    if (!n.containsKey("at")) throw new NnftException(s.span(), needsAt());
    Span atSpan = s.named("at");
    Tensor x = s.interp().tensorArg(n.get("at"), atSpan, "at");
    if (y.rank() != 1) throw new NnftException(s.arg(0), notAVector(y.kind()));
    if (x.rank() != 1) throw new NnftException(atSpan, atNotAVector(x.kind()));
    int m = y.size(), p = order + 1;
    if (x.size() != m) throw new NnftException(s.span(), lengths(m, x.size()));
    if (m < p) throw new NnftException(s.arg(0), tooFew(order, m));
    if (y.err == null) {
      throw new NnftException(s.arg(0), "extrapolate weighs each estimate by 1/error^2, but these are exact numbers with no errors; "
          + "give estimates, e.g. [correlator(...) for ...] or [0.41 ± 0.01, 0.42 ± 0.01].");
    }
    for (int i = 0; i < m; i++) {
      if (!Double.isFinite(y.data[i])) throw new NnftException(s.arg(0), "entry " + i + " of the estimates (numbered from 0) is " + Format.num(y.data[i]) + "; extrapolate needs finite values.");
      if (!(y.err[i] > 0) || !Double.isFinite(y.err[i])) {
        throw new NnftException(s.arg(0), "entry " + i + " of the estimates (numbered from 0) has error " + Format.num(y.err[i]) + ", and extrapolate weighs each estimate by 1/error^2: "
            + "every estimate needs a positive, finite error (an exact number among estimates has error 0).");
      }
    }
    if (x.err != null) {
      for (int i = 0; i < m; i++) if (x.err[i] != 0) {
        throw new NnftException(atSpan, "at takes exact abscissae, but its entry " + i + " (numbered from 0) has an error (" + Format.num(x.err[i])
            + "); extrapolate fits errors in the estimates only: use value(...) to drop it.");
      }
    }
    for (int i = 0; i < m; i++) {
      if (!Double.isFinite(x.data[i])) throw new NnftException(atSpan, "entry " + i + " of at (numbered from 0) is " + Format.num(x.data[i]) + "; the abscissae must be finite.");
    }
    TreeSet<Double> distinct = new TreeSet<>();
    for (double v : x.data) distinct.add(v == 0 ? 0.0 : v);
    if (distinct.size() < p) {
      throw new NnftException(atSpan, "at has " + count(distinct.size(), "distinct value") + ", but " + model(order) + " needs at least " + p
          + ": the fit is singular.");
    }
    Fit fit = fit(x.data, y.data, y.err, order);
    if (fit == null) {
      throw new NnftException(atSpan, "the values in at are too close together to fit " + model(order) + " (the design's condition number is above "
          + Format.num(SINGULAR) + "): the fit is singular.");
    }
    // the coefficients are L y, applied to the estimates as they are: replicas and independent parts
    Tensor coef = linear(fit.map, y);
    int dof = m - p;
    double chi2 = dof > 0 ? fit.chi2 : 0; // with no dof the curve interpolates: χ² is 0 up to round-off
    double chi2dof = dof > 0 ? chi2 / dof : Double.NaN;
    double pValue = dof > 0 ? chiSquareUpperTail(chi2, dof) : Double.NaN;

    StringBuilder note = new StringBuilder("weighted least squares (weights 1/error^2) of " + m + " estimates to " + model(order)
        + ", extrapolated to x = 0");
    double[] corr = largestCorrelation(y);
    if (corr != null) {
      note.append("; the estimates are correlated (they share random numbers; largest correlation ").append(Format.num(corr[0], 3))
          .append(", between estimates ").append((int) corr[1]).append(" and ").append((int) corr[2])
          .append("): the errors of the coefficients include the correlations through the jackknife replicas, chi2 and p_value treat the estimates as independent");
    }
    if (unpaired(y)) {
      note.append("; some estimates of one seed have different numbers of batches (different sample counts), "
          + "which cannot be paired: their part of the errors is bounded as if fully correlated");
    }
    if (dof == 0) note.append("; no degree of freedom is left to check the fit");

    Map<String, Value> f = new LinkedHashMap<>();
    f.put("intercept", coefficient(coef, 0));
    f.put("slope", coefficient(coef, 1));
    if (order == 2) f.put("curvature", coefficient(coef, 2));
    f.put("chi2", Tensor.scalar(chi2));
    f.put("dof", Tensor.scalar(dof));
    if (dof > 0) {
      // with no dof there is no goodness of fit: the parts are absent (a NaN would be an error to read)
      f.put("chi2_dof", Tensor.scalar(chi2dof));
      f.put("p_value", Tensor.scalar(pValue));
    }
    f.put("note", new Values.Str(note.toString()));

    if (!s.interp().planning()) {
      if (dof == 0) {
        s.interp().session().warn(m + " estimates and " + model(order) + " (" + p + " parameters) leave no degree of freedom: the curve goes through every point, "
            + "so the error bar of the intercept is not checked by the data; add estimates at more values of x", s.span());
      } else if (pValue < POOR) {
        String hint = order == 1
            ? "the data may need order = 2 (a quadratic in x), or only the points nearest x = 0"
            : "the data are not quadratic in x over this range: use points nearer x = 0";
        s.interp().session().warn("the fit is poor: chi^2/dof = " + Format.num(chi2dof, 3) + " with " + dof + " dof (p " + (pValue > 0 ? "= " + Format.num(pValue, 2) : "< 1e-300")
            + "), so the error bar of the intercept cannot be trusted; " + hint, s.span());
      }
    }
    return new Values.Record("extrapolation", f);
  }

  /** Coefficient k of the fit as a scalar estimate (its replicas kept, so it combines with others of its seed). */
  private static Tensor coefficient(Tensor coef, int k) { return coef.slice(k, k + 1, new int[0]).withNote(null); }

  // ---------------------------------------------------------------- weighted least squares

  /** A fit: the map from estimates to coefficients, map[k][i] (c_k = Σ_i map[k][i] y_i), and its χ². */
  record Fit(double[][] map, double[] coefficients, double chi2) {}

  /**
   * Weighted least squares of y against 1, x, ..., x^order with weights 1/err², or null when the
   * design is singular. Solved by the SVD of the weighted design in t = x / max|x| (so that the
   * columns are of one size), rescaled to x.
   */
  static Fit fit(double[] x, double[] y, double[] err, int order) {
    int m = x.length, p = order + 1;
    double scale = 0;
    for (double v : x) scale = Math.max(scale, Math.abs(v));
    if (scale == 0) return null;
    SimpleMatrix a = new SimpleMatrix(m, p);
    for (int i = 0; i < m; i++) {
      double t = x[i] / scale, w = 1 / err[i], pow = 1;
      for (int k = 0; k < p; k++) { a.set(i, k, w * pow); pow *= t; }
    }
    SimpleSVD<SimpleMatrix> svd = a.svd();
    double[] sv = svd.getSingularValues();
    double hi = 0, lo = Double.POSITIVE_INFINITY;
    for (double v : sv) { hi = Math.max(hi, v); lo = Math.min(lo, v); }
    if (sv.length < p || !(lo > 0) || hi / lo > SINGULAR) return null;
    SimpleMatrix pinv = a.pseudoInverse(); // p x m: coefficients in t of the weighted values y_i / err_i
    double[][] map = new double[p][m];
    double[] c = new double[p];
    for (int k = 0; k < p; k++) {
      double sk = Math.pow(scale, k);
      for (int i = 0; i < m; i++) {
        map[k][i] = pinv.get(k, i) / err[i] / sk;
        c[k] += map[k][i] * y[i];
      }
    }
    double chi2 = 0;
    for (int i = 0; i < m; i++) {
      double f = 0, pow = 1;
      for (int k = 0; k < p; k++) { f += c[k] * pow; pow *= x[i]; }
      double r = (y[i] - f) / err[i];
      chi2 += r * r;
    }
    return new Fit(map, c, chi2);
  }

  // ---------------------------------------------------------------- a linear map of estimates

  /**
   * The estimates c = L y, with errors: for each random source the replicas of c are L applied to
   * the replicas of y (an entry that does not depend on the source at its value), so c has its
   * jackknife error with every correlation of y included and keeps its replicas; independent parts
   * add in quadrature. Entries of one source with different batch counts cannot be paired: that
   * source's part is bounded as if fully correlated (the sum over batch counts of the jackknife
   * errors of each group's part) and counts as independent from then on, as in TensorOps.
   */
  static Tensor linear(double[][] l, Tensor y) {
    int p = l.length, m = y.size();
    double[] c = new double[p], var = new double[p], ind = new double[p];
    for (int k = 0; k < p; k++) {
      for (int i = 0; i < m; i++) {
        c[k] += l[k][i] * y.data[i];
        double e = l[k][i] * y.independent(i);
        ind[k] += e * e;
      }
    }
    Map<String, double[][]> reps = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> src : y.reps.entrySet()) {
      double[][] r = src.getValue();
      // rows grouped by their batch count: one group pairs batch by batch
      Map<Integer, List<Integer>> groups = new java.util.TreeMap<>();
      for (int i = 0; i < m; i++) if (r[i] != null) groups.computeIfAbsent(r[i].length, x -> new java.util.ArrayList<>()).add(i);
      if (groups.isEmpty()) continue;
      double[][] out = new double[p][];
      for (int k = 0; k < p; k++) {
        double bound = 0;
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
          double[] rk = new double[g.getKey()];
          Arrays.fill(rk, c[k]);
          for (int i : g.getValue()) for (int b = 0; b < rk.length; b++) rk[b] += l[k][i] * (r[i][b] - y.data[i]);
          if (groups.size() == 1) {
            double e = Tensor.jackError(rk);
            var[k] += e * e;
            out[k] = rk;
          } else {
            bound += Tensor.jackError(rk);
          }
        }
        ind[k] += bound * bound;
      }
      if (groups.size() == 1) reps.put(src.getKey(), out);
    }
    double[] err = new double[p], indep = new double[p];
    for (int k = 0; k < p; k++) {
      err[k] = Math.sqrt(var[k] + ind[k]);
      indep[k] = Math.sqrt(ind[k]);
    }
    return new Tensor(c, err, new int[] {p}, null, reps, reps.isEmpty() ? null : indep, y.tail);
  }

  /** Whether some source has entries with different batch counts. */
  static boolean unpaired(Tensor y) {
    for (double[][] r : y.reps.values()) {
      int n = -1;
      for (double[] ri : r) {
        if (ri == null) continue;
        if (n >= 0 && ri.length != n) return true;
        n = ri.length;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- correlations between the estimates

  /**
   * The largest |correlation| between two estimates that share a random source, from their
   * jackknife replicas (with the independent parts of their errors in the denominators), as
   * {correlation, i, j}; null when no two estimates share a source.
   */
  static double[] largestCorrelation(Tensor y) {
    int m = y.size();
    double[][] cov = new double[m][m];
    boolean[][] shared = new boolean[m][m];
    boolean any = false;
    for (Map.Entry<String, double[][]> src : y.reps.entrySet()) {
      double[][] r = src.getValue();
      for (int i = 0; i < m; i++) {
        if (r[i] == null) continue;
        for (int j = i + 1; j < m; j++) {
          if (r[j] == null || r[j].length != r[i].length) continue;
          cov[i][j] += jackCovariance(r[i], r[j]);
          shared[i][j] = true;
          any = true;
        }
      }
    }
    if (!any) return null;
    double[] best = {0, 0, 1};
    for (int i = 0; i < m; i++) for (int j = i + 1; j < m; j++) {
      if (!shared[i][j]) continue;
      double c = cov[i][j] / (y.err[i] * y.err[j]);
      if (Math.abs(c) > Math.abs(best[0])) best = new double[] {c, i, j};
    }
    return best;
  }

  /** The jackknife covariance of two sets of leave-one-batch-out replicas. */
  static double jackCovariance(double[] a, double[] b) {
    int nb = a.length;
    double ma = 0, mb = 0;
    for (int k = 0; k < nb; k++) { ma += a[k]; mb += b[k]; }
    ma /= nb;
    mb /= nb;
    double s = 0;
    for (int k = 0; k < nb; k++) s += (a[k] - ma) * (b[k] - mb);
    return (nb - 1.0) / nb * s;
  }

  // ---------------------------------------------------------------- the χ² distribution

  /** P(χ²_dof > chi2): the regularized upper incomplete gamma function Q(dof/2, chi2/2). */
  static double chiSquareUpperTail(double chi2, int dof) {
    if (dof < 1) throw new IllegalArgumentException("dof must be at least 1, not " + dof);
    if (Double.isNaN(chi2)) return Double.NaN;
    if (chi2 <= 0) return 1;
    if (chi2 == Double.POSITIVE_INFINITY) return 0;
    return upperGamma(dof / 2.0, chi2 / 2);
  }

  /** Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x > 0: a series for x < a + 1, a continued fraction beyond. */
  static double upperGamma(double a, double x) {
    if (x < a + 1) return 1 - lowerSeries(a, x);
    // modified Lentz on Γ(a, x) = e^-x x^a (1 / (x + 1 - a - 1·(1 - a) / (x + 3 - a - ...)))
    double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) d = tiny;
      c = b + an / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  /** P(a, x) by its series e^-x x^a / Γ(a) Σ x^n / (a (a + 1) ... (a + n)). */
  private static double lowerSeries(double a, double x) {
    double ap = a, sum = 1 / a, del = sum;
    for (int n = 1; n < 10_000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  private static final double[] LANCZOS = {
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

  /** ln Γ(a) for a > 0 (Lanczos, g = 7; about 15 digits). */
  static double logGamma(double a) {
    if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
    double z = a - 1, s = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (z + i);
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
  }
}
